import { convolve, filterGradient, inputGradient } from './convolutions';
import { GEMM_FUNCTIONS, gemmModuleBytes, TILE_COLUMNS, TILE_ROWS, type MultiplyAdd } from './gemm-module';
import { relaxedGemmPolicy } from './gemm-policy';
import { functionIndex, layout, roundUp } from './heap-layout';
import type { ProductHost } from './product-host';
import type { SharedHeap } from './shared-heap';

export { relaxedGemmPolicy } from './gemm-policy';

/**
 * The relaxed-SIMD matrix product (gemm-module.ts) as functions on float32
 * arrays. Its module has a memory of its own: operands are copied in,
 * multiplied and copied out, which costs a few percent of the product at the
 * sizes it is used for. The convolution passes are in convolutions.ts.
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
  /** The product's lanes for passes of the module's other functions over `memory`, where the product works in it (tfjs's shared heap); else `null`. */
  lanesIn(memory: WebAssembly.Memory): HeapLanes | null;
}

/**
 * The lanes of a product that works in tfjs's heap, lent to passes over tensors of that heap (BatchNorm, the ReLU
 * gradient): each lane runs its calls of the module's functions (GEMM_FUNCTIONS) on its own instance.
 */
export interface HeapLanes {
  /** How many lanes a pass over `floats` floats is split over now: 1 below relaxedGemmPolicy.minThreadedPassFloats, or while helpers start. */
  lanesFor(floats: number): number;
  /** Runs each lane's calls (programs[0] on this thread) and returns when all are done. */
  execute(programs: readonly (readonly Call[])[]): void;
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

const PAGE = 65536;
const [PACK, GEMM, PACK_A, GEMM_PACKED, PACK_TRANSPOSED] = (['pack', 'gemm', 'packA', 'gemmPacked', 'packTransposed'] as const).map(functionIndex) as [
  number,
  number,
  number,
  number,
  number,
];

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
 * `functions` addresses: a memory of its own, or, given `sharedHeap`, tfjs's heap,
 * whose tensors it then reads and writes in place. Work is split over `lanes`
 * so that every float of the result is summed in the same order whatever the
 * number of lanes, except the filter gradient's, whose lanes each sum their
 * share of the pixels and are then added in lane order: the same for the same
 * number of lanes.
 */
export function gemmOver(functions: GemmFunctions, memory: WebAssembly.Memory, lanes: Lanes, sharedHeap: SharedHeap | null = null): Gemm {
  const byIndex = GEMM_FUNCTIONS.map(({ name }) => functions[name]);
  // A shared memory's buffer object changes when it grows; views made before still address the same memory.
  const buffersSeen = new WeakSet<ArrayBufferLike>();
  const currentBuffer = () => {
    const buffer = memory.buffer;
    buffersSeen.add(buffer);
    return buffer;
  };
  currentBuffer();
  let scratchAt = 0;
  let scratchBytes = 0;
  /** The address of `bytes` kept for the product: the start of its own memory, grown to them, or a block of tfjs's heap. */
  const reserve = (bytes: number): number => {
    if (sharedHeap === null) {
      if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
      return 0;
    }
    if (bytes > scratchBytes) {
      currentBuffer();
      if (scratchBytes > 0) sharedHeap.free(scratchAt);
      // A quarter more than asked, so that a network's passes settle on one block after a few steps.
      const size = roundUp(Math.max(bytes, Math.ceil(scratchBytes * 1.25)), PAGE);
      const address = sharedHeap.allocate(size + 16);
      scratchBytes = address === 0 ? 0 : size;
      if (address === 0) throw new Error(`the matrix product found no room for ${(size / 2 ** 20).toFixed(0)} MB in the WASM heap`);
      scratchAt = address;
    }
    return roundUp(scratchAt, 16);
  };
  const scratch = (...bytes: number[]) => {
    const { at, end } = layout(0, ...bytes);
    const base = reserve(end);
    return { at: at.map((offset) => base + offset), heap: new Float32Array(currentBuffer()) };
  };
  const addressOf = (array: Float32Array, floats: number, readPast = 0): number | null => {
    if (sharedHeap === null || floats > array.length) return null;
    const buffer = currentBuffer();
    if (array.buffer !== buffer && !buffersSeen.has(array.buffer)) return null;
    return array.byteOffset + (floats + readPast) * 4 <= buffer.byteLength ? array.byteOffset : null;
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
  /**
   * B [k×n] packed into panels at `panelsAt`: read in place if its rows are whole panels, else copied to `target`
   * first (and the 8 floats past it zeroed, which packing its last row reads for padding).
   */
  const packB = (heapFloats: Float32Array, b: Float32Array, k: number, n: number, columns: number, target: number, panelsAt: number) => {
    let from = n % TILE_COLUMNS === 0 ? addressOf(b, k * n) : null;
    if (from === null) {
      heapFloats.set(b.subarray(0, k * n), target / 4);
      heapFloats.fill(0, target / 4 + k * n, target / 4 + k * n + TILE_COLUMNS);
      from = target;
    }
    functions.pack(from, panelsAt, k, columns, n);
  };
  const host: ProductHost = { scratch, addressOf, execute, lanes, packB };
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
      // A, B and C in place where tfjs's heap holds them and nothing past them is read or written: A's and C's rows
      // whole tiles, B's rows whole panels (or, given as Bᵀ, its rows whole vectors).
      const aInPlace = m % TILE_ROWS === 0 ? addressOf(a, m * k) : null;
      const bInPlace = (transposed.b ? k % 4 === 0 : n % TILE_COLUMNS === 0) ? addressOf(b, k * n) : null;
      const cInPlace = m % TILE_ROWS === 0 ? addressOf(out, m * n) : null;
      // Else A and B as given, each with the floats past its end that padding reads (pack, packTransposed); each
      // lane's panels (one region for all if rows are split), with 3 rows of 8 floats past them that
      // packTransposed may write; C in its own width; A packed (once for each lane if columns are split).
      const panelsBytes = (k * lanePanels * TILE_COLUMNS + 3 * TILE_COLUMNS) * 4;
      const packedBytes = rows * k * 4;
      const { at, heap } = scratch(
        aInPlace === null ? Math.max(rows * k, m * k + TILE_ROWS) * 4 : 0,
        bInPlace === null ? (k * n + TILE_COLUMNS) * 4 : 0,
        splitColumns ? laneCount * roundUp(panelsBytes, 16) : panelsBytes,
        cInPlace === null ? rows * n * 4 : 0,
        splitColumns ? laneCount * packedBytes : packedBytes,
      );
      const [aCopy, bCopy, panelsAt, cCopy, packedAt] = at as [number, number, number, number, number];
      const [aAt, bAt, cAt] = [aInPlace ?? aCopy, bInPlace ?? bCopy, cInPlace ?? cCopy];
      if (aInPlace === null) {
        heap.set(a.subarray(0, m * k), aAt / 4);
        // Aᵀ is read in place: rows of A are adjacent floats (the packed tiles' fast case), rows past m read floats
        // of the next column, or past Aᵀ's end, that only reach padding of C.
        if (transposed.a) heap.fill(0, aAt / 4 + m * k, aAt / 4 + m * k + TILE_ROWS);
      }
      if (bInPlace === null) {
        heap.set(b.subarray(0, k * n), bAt / 4);
        heap.fill(0, bAt / 4 + k * n, bAt / 4 + k * n + TILE_COLUMNS);
      }
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
      if (cInPlace === null) out.set(heap.subarray(cAt / 4, cAt / 4 + m * n));
    },

    convolve: (image, imageShape, filter, filterShape, window, out) => convolve(host, image, imageShape, filter, filterShape, window, out),
    filterGradient: (image, imageShape, outputGradient, filterShape, window, out) => filterGradient(host, image, imageShape, outputGradient, filterShape, window, out),
    inputGradient: (outputGradient, filter, filterShape, imageShape, window, out) => inputGradient(host, outputGradient, filter, filterShape, imageShape, window, out),
    lanesIn: (other) =>
      sharedHeap !== null && other === memory
        ? { lanesFor: (floats) => (floats >= relaxedGemmPolicy.minThreadedPassFloats ? lanes.lanesFor(Infinity) : 1), execute }
        : null,
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
