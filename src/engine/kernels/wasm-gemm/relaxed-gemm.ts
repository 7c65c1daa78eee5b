import { GEMM_FUNCTIONS, gemmModuleBytes, TILE_COLUMNS, TILE_ROWS, type MultiplyAdd } from './gemm-module';
import { BLOCK_BYTES, functionIndex, layout, regions, roundUp } from './heap-layout';
import { convolveInFrames, convolvesInFrames, filterGradientInFrames, filterGradientInFramesBy, type ProductHost } from './frame-convolution';

/**
 * The relaxed-SIMD matrix product (gemm-module.ts) as functions on float32
 * arrays. Its module has a memory of its own: operands are copied in (padded
 * to whole tiles), multiplied and copied out, which costs a few percent of
 * the product at the sizes it is used for.
 */
export interface Gemm {
  /**
   * out [m×n] = a [m×k] · b [k×n], all row major; with `transposed.a` a is
   * given as aᵀ [k×m], with `transposed.b` b as bᵀ [n×k] (read so, not copied).
   */
  multiply(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array, transposed?: Transposed): void;
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
  /**
   * out [batch, height, width, in] (imageShape) = the gradient of that
   * convolution with respect to its image: col2im of dy times the filter's
   * transpose, whole images at a time. It multiplies only the taps that met
   * the image, where a convolution of the padded dy would multiply zeros too.
   */
  inputGradient(outputGradient: Float32Array, filter: Float32Array, filterShape: Shape4D, imageShape: Shape4D, window: Window, out: Float32Array): void;
}

export type Shape4D = readonly [number, number, number, number];

/** Work of the calling thread's own, beside its calls, while the other lanes run theirs (copies in and out of its share). */
export interface AroundOwnCalls {
  readonly before?: () => void;
  readonly after?: () => void;
}

/** Which operands of a product are given transposed. */
export interface Transposed {
  readonly a: boolean;
  readonly b: boolean;
}

const AS_GIVEN: Transposed = { a: false, b: false };

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

/** The module's functions, called by name on this thread. */
export type GemmFunctions = Record<(typeof GEMM_FUNCTIONS)[number]['name'], (...args: number[]) => void>;

/** A call of one of the module's functions: its index in GEMM_FUNCTIONS, then its arguments. */
export type Call = readonly number[];

/**
 * Threads that run a product's calls beside the calling thread, each on an
 * instance of the module over the same shared memory (gemm-threads.ts).
 * Lane 0 is the calling thread.
 */
export interface Lanes {
  /** How many lanes a product of `work` multiply-adds is split over now: 1 while helpers are starting. */
  lanesFor(work: number): number;
  /** Sends lanes 1… their calls (programs[0] is lane 1's) and returns at once. */
  start(programs: readonly (readonly Call[])[]): void;
  /** Waits until the lanes started are done; throws if one failed. */
  finish(): void;
}

const ONE_LANE: Lanes = {
  lanesFor: () => 1,
  start: () => {
    throw new Error('one lane: nothing to start');
  },
  finish: () => {},
};

/**
 * When the kernels use the relaxed-SIMD product. Below `minWork` multiply-adds
 * the stock kernels are kept: copying the operands into the product's memory
 * would cost more than it saves. Convolutions of fewer than
 * `transposedIm2colBelow` channels write im2col transposed, one row per tap:
 * for one channel at stride 1 those rows are runs of consecutive floats,
 * where rows of A would be a few floats per kernel row (measured: the first
 * layers of LeNet-5, 1 channel, and ResNet, 3, are then faster on the
 * product than on XNNPACK, which reads the image in place; 6 channels and
 * more are faster as rows).
 * Input gradients are col2im of dy·Wᵀ where that product is under
 * `col2imShare` of the convolution that would compute them otherwise
 * (conv2d-backprop-input.ts).
 * With `packA`, plain products and filter gradients (im2col as rows) pack A
 * into tiles of 4 rows before multiplying: 7–18% faster products, 17–36%
 * faster filter gradients for 32 and 64 channels.
 * With `framesWithoutIm2col`, convolutions and filter gradients that a frame
 * kernel takes read the padded image in place (frame-convolution.ts).
 * Products of fewer than `minThreadedWork` multiply-adds stay on one thread,
 * where waking the others would cost more than they save. Threaded products
 * of n ≥ m·`splitColumnsFrom` split B's columns over the lanes, the rest A's
 * rows (measured: the MLP's first layer 780 → 700 µs, its weight gradient
 * 667 → 650 µs, on two threads).
 * Tests lower them to run every shape on the product and its threads.
 */
export const relaxedGemmPolicy = { minWork: 16_384, minThreadedWork: 1 << 20, transposedIm2colBelow: 4, col2imShare: 0.8, packA: true, framesWithoutIm2col: true, splitColumnsFrom: 1 };

const PAGE = 65536;
const [PACK, GEMM, IM2COL, IM2COL_TRANSPOSED, COL2IM, PACK_A, GEMM_PACKED, PACK_TRANSPOSED] = (
  ['pack', 'gemm', 'im2col', 'im2colTransposed', 'col2im', 'packA', 'gemmPacked', 'packTransposed'] as const
).map(functionIndex) as [number, number, number, number, number, number, number, number];

/** The im2col call for `count` output pixels from `first` on, as rows of A, or transposed with rows `pitch` floats apart. */
function im2colCall(imageAt: number, rowsAt: number, imageShape: Shape4D, filterShape: Shape4D, window: Window, first: number, count: number, pitch: number | null): Call {
  const [, height, width, channels] = imageShape;
  const [kernelHeight, kernelWidth] = filterShape;
  const args = [
    imageAt, rowsAt, height, width, channels, kernelHeight, kernelWidth,
    window.strideHeight, window.strideWidth, window.padTop, window.padLeft,
    window.dilationHeight, window.dilationWidth, window.outHeight, window.outWidth, first, count,
  ];
  return pitch === null ? [IM2COL, ...args] : [IM2COL_TRANSPOSED, ...args, pitch];
}

/** A product over an instance of the module; `null` when this engine cannot compile it (no relaxed SIMD: Node 20 without its flag, Firefox, Safari). */
export function createGemm(multiplyAdd: MultiplyAdd = 'relaxed-madd'): Gemm | null {
  const bytes = gemmModuleBytes(multiplyAdd);
  if (!WebAssembly.validate(bytes)) return null;
  // Synchronous compilation is fine for a module of a few kilobytes, even on a page's main thread.
  const module = new WebAssembly.Module(bytes);
  const exports = new WebAssembly.Instance(module).exports as unknown as GemmFunctions & { memory: WebAssembly.Memory };
  return gemmOver(exports, exports.memory, ONE_LANE);
}

/**
 * The product's functions over `memory`, which the module instance behind
 * `functions` addresses. Work is split over `lanes` so that every float of the
 * result is summed in the same order whatever the number of lanes, except the
 * filter gradient's, whose lanes each sum their share of the pixels and are
 * then added in lane order: the same for the same number of lanes.
 */
export function gemmOver(functions: GemmFunctions, memory: WebAssembly.Memory, lanes: Lanes): Gemm {
  const byIndex = GEMM_FUNCTIONS.map(({ name }) => functions[name]);
  /** The module's memory as floats, grown to `end` bytes first. */
  const heapOf = (end: number) => {
    if (memory.buffer.byteLength < end) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    return new Float32Array(memory.buffer);
  };
  const runOnThisThread = (calls: readonly Call[]) => {
    for (const [index, ...args] of calls) byIndex[index!]!(...args);
  };
  /**
   * Runs each lane's calls (programs[0] on this thread) and returns when all are done; `around` runs on this thread
   * while the other lanes work, before and after its own calls.
   */
  const execute = (programs: readonly (readonly Call[])[], around: AroundOwnCalls = {}) => {
    if (programs.length > 1) lanes.start(programs.slice(1));
    try {
      around.before?.();
      runOnThisThread(programs[0]!);
      around.after?.();
    } finally {
      if (programs.length > 1) lanes.finish();
    }
  };
  /** B [k×n] from `b` into `target` (and the 8 floats past it zeroed, which packing reads for padding), then packed into panels at `panelsAt`. */
  const packB = (heap: Float32Array, b: Float32Array, k: number, n: number, columns: number, target: number, panelsAt: number) => {
    heap.set(b.subarray(0, k * n), target / 4);
    heap.fill(0, target / 4 + k * n, target / 4 + k * n + TILE_COLUMNS);
    functions.pack(target, panelsAt, k, columns, n);
  };
  const host: ProductHost = { heapOf, execute, lanes, packB };
  return {
    multiply(a, b, m, k, n, out, transposed = AS_GIVEN) {
      if (a.length < m * k || b.length < k * n || out.length < m * n) throw new Error(`gemm: arrays too short for ${m}×${k}·${k}×${n}`);
      const rows = roundUp(m, TILE_ROWS);
      const columns = roundUp(n, TILE_COLUMNS);
      const panels = columns / TILE_COLUMNS;
      const lanesOffered = lanes.lanesFor(m * k * n);
      // Lanes split B's panels where B is the wider operand: each packs its own panels (which no other lane
      // then reads) and all of A, rather than one thread packing all of B. Else they split A's rows.
      const splitColumns = relaxedGemmPolicy.packA && n >= m * relaxedGemmPolicy.splitColumnsFrom && Math.min(lanesOffered, panels) > 1;
      const laneCount = Math.min(lanesOffered, splitColumns ? panels : rows / TILE_ROWS);
      const lanePanels = splitColumns ? Math.ceil(panels / laneCount) : panels;
      // A and B as given, each with the floats past its end that padding reads (pack, packTransposed); each
      // lane's panels (one region for all if rows are split), with 3 rows of 8 floats past them that
      // packTransposed may write; C in its own width; A packed (once for each lane if columns are split).
      const panelsBytes = (k * lanePanels * TILE_COLUMNS + 3 * TILE_COLUMNS) * 4;
      const packedBytes = rows * k * 4;
      const { at, end } = layout(
        0,
        Math.max(rows * k, m * k + TILE_ROWS) * 4,
        (k * n + TILE_COLUMNS) * 4,
        splitColumns ? laneCount * roundUp(panelsBytes, 16) : panelsBytes,
        rows * n * 4,
        splitColumns ? laneCount * packedBytes : packedBytes,
      );
      const [aAt, bAt, panelsAt, cAt, packedAt] = at as [number, number, number, number, number];
      const heap = heapOf(end);
      heap.set(a.subarray(0, m * k), aAt / 4);
      heap.set(b.subarray(0, k * n), bAt / 4);
      heap.fill(0, bAt / 4 + k * n, bAt / 4 + k * n + TILE_COLUMNS);
      // Aᵀ is read in place: rows of A are adjacent floats (the packed tiles' fast case), rows past m read floats
      // of the next column, or past Aᵀ's end, that only reach padding of C.
      if (transposed.a) heap.fill(0, aAt / 4 + m * k, aAt / 4 + m * k + TILE_ROWS);
      const [aStride, aColumnStride] = transposed.a ? [1, m] : [k, 1];
      /** The call that packs B's columns from `firstColumn` on (`count` of them) into panels at `at`. */
      const packCall = (firstColumn: number, count: number, at: number): Call =>
        transposed.b ? [PACK_TRANSPOSED, bAt + firstColumn * k * 4, at, k, count] : [PACK, bAt + firstColumn * 4, at, k, roundUp(count, TILE_COLUMNS), n];
      const programs: Call[][] = [];
      if (splitColumns) {
        for (let lane = 0; lane < laneCount; lane++) {
          const [firstColumn, laneAt, packed] = [lane * lanePanels * TILE_COLUMNS, panelsAt + lane * roundUp(panelsBytes, 16), packedAt + lane * packedBytes];
          const count = Math.min(n - firstColumn, lanePanels * TILE_COLUMNS);
          if (count <= 0) break;
          programs.push([
            packCall(firstColumn, count, laneAt),
            [PACK_A, aAt, aStride, aColumnStride, rows, k, packed],
            [GEMM_PACKED, packed, laneAt, cAt + firstColumn * 4, rows, k, count, 0, n],
          ]);
        }
      } else {
        // One thread packs B; each lane takes a band of whole tiles of rows, packs its rows of A and multiplies them.
        runOnThisThread([packCall(0, n, panelsAt)]);
        const band = roundUp(Math.ceil(rows / laneCount), TILE_ROWS);
        for (let first = 0; first < rows; first += band) {
          const count = Math.min(band, rows - first);
          const [from, packed] = [aAt + first * aStride * 4, packedAt + first * k * 4];
          programs.push(
            relaxedGemmPolicy.packA
              ? [
                  [PACK_A, from, aStride, aColumnStride, count, k, packed],
                  [GEMM_PACKED, packed, panelsAt, cAt + first * n * 4, count, k, n, 0, n],
                ]
              : [[GEMM, from, aStride, aColumnStride, panelsAt, cAt + first * n * 4, count, k, n, 0, n]],
          );
        }
      }
      execute(programs);
      out.set(heap.subarray(cAt / 4, cAt / 4 + m * n));
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
      if (relaxedGemmPolicy.framesWithoutIm2col && convolvesInFrames(imageShape, filterShape, window) !== null) {
        convolveInFrames(host, image, imageShape, filter, filterShape, window, out);
        return;
      }
      const columns = roundUp(outChannels, TILE_COLUMNS);
      const rows = roundUp(pixels, TILE_ROWS);
      const blockRows = Math.min(rows, Math.max(TILE_ROWS, Math.floor(BLOCK_BYTES / (k * 4) / TILE_ROWS) * TILE_ROWS));
      const blocks = Math.ceil(pixels / blockRows);
      const laneCount = Math.min(lanes.lanesFor(pixels * k * outChannels), blocks);
      // Few channels: im2col transposed, one row per tap (blockRows floats, a whole number of tiles), read as A transposed.
      const transposed = channels < relaxedGemmPolicy.transposedIm2colBelow;
      const { at, end } = layout(
        0,
        batch * height * width * channels * 4,
        (k * outChannels + TILE_COLUMNS) * 4,
        k * columns * 4,
        rows * outChannels * 4,
        laneCount * roundUp(blockRows * k * 4, 16),
      );
      const [imageAt, filterAt, panelsAt, cAt, blocksAt] = at as [number, number, number, number, number];
      const heap = heapOf(end);
      heap.set(image.subarray(0, batch * height * width * channels), imageAt / 4);
      packB(heap, filter, k, outChannels, columns, filterAt, panelsAt);
      // Blocks of output pixels go to the lanes in turn; each lane has its own rows of A, and writes its blocks' rows of C.
      const aOf = regions(blocksAt, blockRows * k * 4, laneCount);
      const programs: Call[][] = aOf.map(() => []);
      for (let block = 0; block < blocks; block++) {
        const first = block * blockRows;
        const count = Math.min(blockRows, pixels - first);
        const lane = block % laneCount;
        const aAt = aOf[lane]!;
        const [aStride, aColumnStride] = transposed ? [1, blockRows] : [k, 1];
        programs[lane]!.push(
          im2colCall(imageAt, aAt, imageShape, filterShape, window, first, count, transposed ? blockRows : null),
          [GEMM, aAt, aStride, aColumnStride, panelsAt, cAt + first * outChannels * 4, roundUp(count, TILE_ROWS), k, outChannels, 0, outChannels],
        );
      }
      execute(programs);
      out.set(heap.subarray(cAt / 4, cAt / 4 + pixels * outChannels));
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
      if (relaxedGemmPolicy.framesWithoutIm2col && filterGradientInFramesBy(imageShape, window) !== null) {
        filterGradientInFrames(host, image, imageShape, outputGradient, filterShape, window, out);
        return;
      }
      // C [taps × out channels] = Σ over blocks of pixels of im2colᵀ · dy's rows (packed): the packed operand is the
      // narrow one, and C comes out in the filter's layout. im2col is read transposed in place, or, for few channels,
      // written transposed (one row of blockPixels floats per tap, and rows past the last tap that only reach C's padding).
      const rows = roundUp(taps, TILE_ROWS);
      const columns = roundUp(outChannels, TILE_COLUMNS);
      const blockPixels = Math.min(pixels, Math.max(1, Math.floor(BLOCK_BYTES / (taps * 4))));
      const blocks = Math.ceil(pixels / blockPixels);
      const laneCount = Math.min(lanes.lanesFor(pixels * taps * outChannels), blocks);
      const transposed = channels < relaxedGemmPolicy.transposedIm2colBelow;
      const im2colBytes = transposed ? rows * blockPixels * 4 : (blockPixels * taps + TILE_ROWS) * 4;
      // Per lane: the im2col block, dy's panels, C in the filter's width (and the floats past it that adding to its
      // last tile reads), and the block packed as A (im2col as rows only).
      const laneBytes = [im2colBytes, blockPixels * columns * 4, (rows * outChannels + TILE_COLUMNS) * 4, transposed ? 0 : rows * blockPixels * 4].map((b) =>
        roundUp(b, 16),
      );
      const { at, end } = layout(
        0,
        batch * height * width * channels * 4,
        // dy, and the floats past its end that packing its last rows reads for padding.
        (pixels * outChannels + TILE_COLUMNS) * 4,
        laneCount * laneBytes.reduce((a, b) => a + b),
      );
      const [imageAt, gradientAt, lanesAt] = at as [number, number, number];
      const heap = heapOf(end);
      heap.set(image.subarray(0, batch * height * width * channels), imageAt / 4);
      heap.set(outputGradient.subarray(0, pixels * outChannels), gradientAt / 4);
      heap.fill(0, gradientAt / 4 + pixels * outChannels, gradientAt / 4 + pixels * outChannels + TILE_COLUMNS);
      // Each lane sums its blocks of pixels (taken in turn) into a C of its own: im2col block, panels and C.
      const regionsOf = regions(lanesAt, laneBytes.reduce((a, b) => a + b), laneCount).map((laneAt) => layout(laneAt, ...laneBytes).at as [number, number, number, number]);
      const programs: Call[][] = regionsOf.map(() => []);
      const [aStride, aColumnStride] = transposed ? [blockPixels, 1] : [1, taps];
      for (let block = 0; block < blocks; block++) {
        const first = block * blockPixels;
        const count = Math.min(blockPixels, pixels - first);
        const lane = block % laneCount;
        const [blockAt, panelsAt, cAt, packedAt] = regionsOf[lane]!;
        const program = programs[lane]!;
        program.push(im2colCall(imageAt, blockAt, imageShape, filterShape, window, first, count, transposed ? blockPixels : null));
        program.push([PACK, gradientAt + first * outChannels * 4, panelsAt, count, columns, outChannels]);
        const accumulate = block >= laneCount ? 1 : 0;
        if (transposed || !relaxedGemmPolicy.packA) program.push([GEMM, blockAt, aStride, aColumnStride, panelsAt, cAt, rows, count, outChannels, accumulate, outChannels]);
        else {
          // im2col read transposed has each tile's 4 taps side by side: packed with one vector copy a pixel, then
          // multiplied from one pointer (up to a third faster for 32 and 64 channels).
          program.push([PACK_A, blockAt, aStride, aColumnStride, rows, count, packedAt]);
          program.push([GEMM_PACKED, packedAt, panelsAt, cAt, rows, count, outChannels, accumulate, outChannels]);
        }
      }
      execute(programs);
      // Each C's first rows are its lane's share of the gradient, [taps × out channels], added in lane order.
      regionsOf.forEach(([, , cAt], lane) => {
        const share = heap.subarray(cAt / 4, cAt / 4 + taps * outChannels);
        if (lane === 0) out.set(share);
        else for (let i = 0; i < share.length; i++) out[i] = out[i]! + share[i]!;
      });
    },

    inputGradient(outputGradient, filter, filterShape, imageShape, window, out) {
      const [batch, height, width, channels] = imageShape;
      const [kernelHeight, kernelWidth, inChannels, outChannels] = filterShape;
      if (inChannels !== channels) throw new Error(`inputGradient: the filter takes ${inChannels} channels, the image has ${channels}`);
      const pixelsPerImage = window.outHeight * window.outWidth;
      const pixels = batch * pixelsPerImage;
      const taps = kernelHeight * kernelWidth * channels;
      const imageSize = batch * height * width * channels;
      if (outputGradient.length < pixels * outChannels || filter.length < taps * outChannels || out.length < imageSize) {
        throw new Error('inputGradient: arrays too short for their shapes');
      }
      // cols [pixels × taps] = dy [pixels × out] · Wᵀ [out × taps], whole images per block (each lane adds its
      // blocks' cols into its own images), every block's cols staying in cache until col2im has read them.
      const columns = roundUp(taps, TILE_COLUMNS);
      const imagesPerBlock = Math.max(1, Math.min(batch, Math.floor(BLOCK_BYTES / (pixelsPerImage * columns * 4))));
      const blocks = Math.ceil(batch / imagesPerBlock);
      const laneCount = Math.min(lanes.lanesFor(pixels * outChannels * taps), blocks);
      const blockRows = roundUp(imagesPerBlock * pixelsPerImage, TILE_ROWS);
      const transposedFilter = new Float32Array(outChannels * taps);
      for (let tap = 0; tap < taps; tap++) for (let o = 0; o < outChannels; o++) transposedFilter[o * taps + tap] = filter[tap * outChannels + o]!;
      const { at, end } = layout(
        0,
        // dy's rows, and room for the last tile's rows past them (they only reach rows of cols that col2im skips).
        (pixels + TILE_ROWS) * outChannels * 4,
        (outChannels * taps + TILE_COLUMNS) * 4,
        outChannels * columns * 4,
        imageSize * 4,
        laneCount * roundUp(blockRows * columns * 4, 16),
      );
      const [gradientAt, filterAt, panelsAt, imageAt, colsAt] = at as [number, number, number, number, number];
      const heap = heapOf(end);
      heap.set(outputGradient.subarray(0, pixels * outChannels), gradientAt / 4);
      packB(heap, transposedFilter, outChannels, taps, columns, filterAt, panelsAt);
      const colsOf = regions(colsAt, blockRows * columns * 4, laneCount);
      const programs: Call[][] = colsOf.map(() => []);
      for (let block = 0; block < blocks; block++) {
        const firstImage = block * imagesPerBlock;
        const images = Math.min(imagesPerBlock, batch - firstImage);
        const lane = block % laneCount;
        const colsAtLane = colsOf[lane]!;
        programs[lane]!.push(
          [GEMM, gradientAt + firstImage * pixelsPerImage * outChannels * 4, outChannels, 1, panelsAt, colsAtLane, roundUp(images * pixelsPerImage, TILE_ROWS), outChannels, columns, 0, columns],
          [
            COL2IM, colsAtLane, columns, imageAt, height, width, channels, kernelHeight, kernelWidth,
            window.strideHeight, window.strideWidth, window.padTop, window.padLeft,
            window.dilationHeight, window.dilationWidth, window.outHeight, window.outWidth, firstImage, images,
          ],
        );
      }
      execute(programs);
      out.set(heap.subarray(imageAt / 4, imageAt / 4 + imageSize));
    },
  };
}

let shared: Gemm | null | undefined;

/** The relaxed-SIMD product the kernels use on this thread, made on first use; `null` where the engine lacks relaxed SIMD. */
export function relaxedGemm(): Gemm | null {
  if (shared === undefined) shared = createGemm('relaxed-madd');
  return shared;
}

/** Makes the kernels use `gemm` (one with helper threads, gemm-threads.ts) from their next call on; returns the one they used. */
export function useRelaxedGemm(gemm: Gemm | null): Gemm | null {
  const previous = relaxedGemm();
  shared = gemm;
  return previous;
}
