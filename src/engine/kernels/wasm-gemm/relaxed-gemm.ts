import { gemmModuleBytes, TILE_COLUMNS, TILE_ROWS, type MultiplyAdd } from './gemm-module';

/**
 * The relaxed-SIMD matrix product (gemm-module.ts) as functions on float32
 * arrays. Its module has a memory of its own: operands are copied in (padded
 * to whole tiles), multiplied and copied out, which costs a few percent of
 * the product at the sizes it is used for.
 */
export interface Gemm {
  /** out [m×n] = a [m×k] · b [k×n], all row major. */
  multiply(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): void;
  /**
   * out [batch, outHeight, outWidth, out channels] = the convolution of an
   * NHWC image with a [kh, kw, in, out] filter over `window` (im2col, then the
   * product, a block of output pixels at a time).
   */
  convolve(image: Float32Array, imageShape: Shape4D, filter: Float32Array, filterShape: Shape4D, window: Window, out: Float32Array): void;
  /**
   * out [kh, kw, in, out] = the gradient of that convolution with respect to
   * its filter: Σ over output pixels of im2col(image)ᵀ · dy, with dy the
   * output gradient [batch, outHeight, outWidth, out channels]. Summed a block
   * of pixels at a time, so im2col never holds more than one block.
   */
  filterGradient(image: Float32Array, imageShape: Shape4D, outputGradient: Float32Array, filterShape: Shape4D, window: Window, out: Float32Array): void;
}

export type Shape4D = readonly [number, number, number, number];

/** Output pixel (oy, ox) reads image row oy·strideHeight − padTop + ky·dilationHeight for filter row ky (likewise columns); outside the image counts as 0. */
export interface Window {
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

interface GemmExports {
  readonly memory: WebAssembly.Memory;
  pack(b: number, panels: number, k: number, n: number): void;
  gemm(a: number, aStride: number, aColumnStride: number, panels: number, c: number, m: number, k: number, n: number, accumulate: number): void;
  im2col(...args: number[]): void;
  copyRows(source: number, target: number, rows: number, width: number, sourceStride: number, targetStride: number): void;
}

/**
 * When the kernels use the relaxed-SIMD product. Below `minWork` multiply-adds
 * the stock kernels are kept: copying the operands into the product's memory
 * would cost more than it saves. Convolutions reading fewer than
 * `minConvolutionChannels` channels also stay on XNNPACK, which reads them
 * in place where im2col would copy each pixel's few floats on their own.
 * Tests lower both to run every shape on the product.
 */
export const relaxedGemmPolicy = { minWork: 16_384, minConvolutionChannels: 8 };

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;
const PAGE = 65536;
/** Rows of A per block of a convolution: up to 512 KB, so a block stays in L2 while every panel of the filter passes over it. */
const BLOCK_BYTES = 512 * 1024;

/** Byte offsets of consecutive 16-byte aligned regions of the given sizes, and the end. */
function layout(...bytes: number[]): { at: number[]; end: number } {
  const at: number[] = [];
  let end = 0;
  for (const size of bytes) {
    at.push(end);
    end += roundUp(size, 16);
  }
  return { at, end };
}

/** A product over an instance of the module; `null` when this engine cannot compile it (no relaxed SIMD: Node 20 without its flag, Firefox, Safari). */
export function createGemm(multiplyAdd: MultiplyAdd = 'relaxed-madd'): Gemm | null {
  const bytes = gemmModuleBytes(multiplyAdd);
  if (!WebAssembly.validate(bytes)) return null;
  // Synchronous compilation is fine for a module of a few kilobytes, even on a page's main thread.
  const module = new WebAssembly.Module(bytes);
  const wasm = new WebAssembly.Instance(module).exports as unknown as GemmExports;

  /** The module's memory as floats, grown to `end` bytes first. */
  const heapOf = (end: number) => {
    const memory = wasm.memory;
    if (memory.buffer.byteLength < end) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    return new Float32Array(memory.buffer);
  };
  /** B [k×n] from `b` into `target` with rows padded to `columns`, then packed into panels at `panelsAt`. */
  const packB = (heap: Float32Array, b: Float32Array, k: number, n: number, columns: number, target: number, staging: number, panelsAt: number) => {
    if (columns === n) heap.set(b.subarray(0, k * n), target / 4);
    else {
      heap.set(b.subarray(0, k * n), staging / 4);
      wasm.copyRows(staging, target, k, n, n, columns);
    }
    wasm.pack(target, panelsAt, k, columns);
  };
  /** rows of C [rows×columns] at `c` into out[offset…] as [rows×n]. */
  const unpadC = (heap: Float32Array, c: number, rows: number, n: number, columns: number, staging: number, out: Float32Array, offset: number) => {
    if (columns !== n) {
      wasm.copyRows(c, staging, rows, n, columns, n);
      c = staging;
    }
    out.set(heap.subarray(c / 4, c / 4 + rows * n), offset);
  };

  return {
    multiply(a, b, m, k, n, out) {
      if (a.length < m * k || b.length < k * n || out.length < m * n) throw new Error(`gemm: arrays too short for ${m}×${k}·${k}×${n}`);
      const rows = roundUp(m, TILE_ROWS);
      const columns = roundUp(n, TILE_COLUMNS);
      const { at, end } = layout(rows * k * 4, k * columns * 4, k * columns * 4, rows * columns * 4, Math.max(k, m) * n * 4);
      const [aAt, bAt, panelsAt, cAt, stagingAt] = at as [number, number, number, number, number];
      const heap = heapOf(end);
      heap.set(a.subarray(0, m * k), aAt / 4);
      packB(heap, b, k, n, columns, bAt, stagingAt, panelsAt);
      wasm.gemm(aAt, k, 1, panelsAt, cAt, rows, k, columns, 0);
      unpadC(heap, cAt, m, n, columns, stagingAt, out, 0);
    },

    convolve(image, imageShape, filter, filterShape, window, out) {
      const [batch, height, width, channels] = imageShape;
      const [kernelHeight, kernelWidth, inChannels, outChannels] = filterShape;
      if (inChannels !== channels) throw new Error(`convolve: the filter takes ${inChannels} channels, the image has ${channels}`);
      const pixels = batch * window.outHeight * window.outWidth;
      const k = kernelHeight * kernelWidth * channels;
      if (image.length < batch * height * width * channels || filter.length < k * outChannels || out.length < pixels * outChannels) {
        throw new Error('convolve: arrays too short for their shapes');
      }
      const columns = roundUp(outChannels, TILE_COLUMNS);
      const blockRows = Math.min(roundUp(pixels, TILE_ROWS), Math.max(TILE_ROWS, Math.floor(BLOCK_BYTES / (k * 4) / TILE_ROWS) * TILE_ROWS));
      const { at, end } = layout(
        batch * height * width * channels * 4,
        k * columns * 4,
        k * columns * 4,
        blockRows * k * 4,
        blockRows * columns * 4,
        Math.max(k, blockRows) * outChannels * 4,
      );
      const [imageAt, filterAt, panelsAt, aAt, cAt, stagingAt] = at as [number, number, number, number, number, number];
      const heap = heapOf(end);
      heap.set(image.subarray(0, batch * height * width * channels), imageAt / 4);
      packB(heap, filter, k, outChannels, columns, filterAt, stagingAt, panelsAt);
      for (let first = 0; first < pixels; first += blockRows) {
        const count = Math.min(blockRows, pixels - first);
        wasm.im2col(
          imageAt, aAt, height, width, channels, kernelHeight, kernelWidth,
          window.strideHeight, window.strideWidth, window.padTop, window.padLeft,
          window.dilationHeight, window.dilationWidth, window.outHeight, window.outWidth, first, count,
        );
        wasm.gemm(aAt, k, 1, panelsAt, cAt, roundUp(count, TILE_ROWS), k, columns, 0);
        unpadC(heap, cAt, count, outChannels, columns, stagingAt, out, first * outChannels);
      }
    },

    filterGradient(image, imageShape, outputGradient, filterShape, window, out) {
      const [batch, height, width, channels] = imageShape;
      const [kernelHeight, kernelWidth, inChannels, outChannels] = filterShape;
      if (inChannels !== channels) throw new Error(`filterGradient: the filter takes ${inChannels} channels, the image has ${channels}`);
      const pixels = batch * window.outHeight * window.outWidth;
      const taps = kernelHeight * kernelWidth * channels;
      if (image.length < batch * height * width * channels || outputGradient.length < pixels * outChannels || out.length < taps * outChannels) {
        throw new Error('filterGradient: arrays too short for their shapes');
      }
      const columns = roundUp(taps, TILE_COLUMNS);
      const rows = roundUp(outChannels, TILE_ROWS);
      const blockPixels = Math.min(pixels, Math.max(1, Math.floor(BLOCK_BYTES / (columns * 4))));
      const { at, end } = layout(
        batch * height * width * channels * 4,
        // dy, with room for the tile's rows past the last channel (they only reach C's padding).
        (pixels * outChannels + rows) * 4,
        blockPixels * taps * 4,
        blockPixels * columns * 4,
        blockPixels * columns * 4,
        rows * columns * 4,
      );
      const [imageAt, gradientAt, stagingAt, blockAt, panelsAt, cAt] = at as [number, number, number, number, number, number];
      const heap = heapOf(end);
      heap.set(image.subarray(0, batch * height * width * channels), imageAt / 4);
      heap.set(outputGradient.subarray(0, pixels * outChannels), gradientAt / 4);
      for (let first = 0; first < pixels; first += blockPixels) {
        const count = Math.min(blockPixels, pixels - first);
        const rowsAt = columns === taps ? blockAt : stagingAt;
        wasm.im2col(
          imageAt, rowsAt, height, width, channels, kernelHeight, kernelWidth,
          window.strideHeight, window.strideWidth, window.padTop, window.padLeft,
          window.dilationHeight, window.dilationWidth, window.outHeight, window.outWidth, first, count,
        );
        if (columns !== taps) wasm.copyRows(stagingAt, blockAt, count, taps, taps, columns);
        wasm.pack(blockAt, panelsAt, count, columns);
        // C [out channels × taps] += dyᵀ's columns of this block (read transposed in place) · the block's im2col rows.
        wasm.gemm(gradientAt + first * outChannels * 4, 1, outChannels, panelsAt, cAt, rows, count, columns, first > 0 ? 1 : 0);
      }
      // C is the gradient transposed: [out channels × taps] → [taps × out channels].
      const c = cAt / 4;
      for (let tap = 0; tap < taps; tap++) {
        for (let o = 0; o < outChannels; o++) out[tap * outChannels + o] = heap[c + o * columns + tap]!;
      }
    },
  };
}

let shared: Gemm | null | undefined;

/** One relaxed-SIMD product per thread, made on first use; `null` where the engine lacks relaxed SIMD. */
export function relaxedGemm(): Gemm | null {
  if (shared === undefined) shared = createGemm('relaxed-madd');
  return shared;
}
