import { gemmModuleBytes, TILE_COLUMNS, TILE_ROWS, type MultiplyAdd } from './gemm-module';

/**
 * The relaxed-SIMD matrix product (gemm-module.ts) as a function on float32
 * arrays. Its module has a memory of its own: operands are copied in (padded
 * to whole tiles), multiplied and copied out, which costs a few percent of
 * the product at the sizes it is used for.
 */
export interface Gemm {
  /** out [m×n] = a [m×k] · b [k×n], all row major. */
  multiply(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): void;
}

interface GemmExports {
  readonly memory: WebAssembly.Memory;
  pack(b: number, panels: number, k: number, n: number): void;
  gemm(a: number, panels: number, c: number, m: number, k: number, n: number): void;
}

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;
const PAGE = 65536;

/** A product over an instance of the module; `null` when this engine cannot compile it (no relaxed SIMD: Node 20 without its flag, Firefox, Safari). */
export function createGemm(multiplyAdd: MultiplyAdd = 'relaxed-madd'): Gemm | null {
  const bytes = gemmModuleBytes(multiplyAdd);
  if (!WebAssembly.validate(bytes)) return null;
  // Synchronous compilation is fine for a module of under a kilobyte, even on a page's main thread.
  const module = new WebAssembly.Module(bytes);
  const exports = new WebAssembly.Instance(module).exports as unknown as GemmExports;
  return {
    multiply(a, b, m, k, n, out) {
      if (a.length < m * k || b.length < k * n || out.length < m * n) throw new Error(`gemm: arrays too short for ${m}×${k}·${k}×${n}`);
      const rows = roundUp(m, TILE_ROWS);
      const columns = roundUp(n, TILE_COLUMNS);
      // Byte offsets of A [rows×k], B [k×columns], the packed panels and C [rows×columns], 16-byte aligned.
      const aAt = 0;
      const bAt = aAt + roundUp(rows * k * 4, 16);
      const panelsAt = bAt + roundUp(k * columns * 4, 16);
      const cAt = panelsAt + roundUp(k * columns * 4, 16);
      const end = cAt + rows * columns * 4;
      const memory = exports.memory;
      if (memory.buffer.byteLength < end) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
      const heap = new Float32Array(memory.buffer);
      heap.set(a.subarray(0, m * k), aAt / 4);
      if (columns === n) heap.set(b.subarray(0, k * n), bAt / 4);
      else for (let row = 0; row < k; row++) heap.set(b.subarray(row * n, row * n + n), bAt / 4 + row * columns);
      exports.pack(bAt, panelsAt, k, columns);
      exports.gemm(aAt, panelsAt, cAt, rows, k, columns);
      if (columns === n) out.set(heap.subarray(cAt / 4, cAt / 4 + m * n));
      else for (let row = 0; row < m; row++) out.set(heap.subarray(cAt / 4 + row * columns, cAt / 4 + row * columns + n), row * n);
    },
  };
}

let shared: Gemm | null | undefined;

/** One relaxed-SIMD product per thread, made on first use; `null` where the engine lacks relaxed SIMD. */
export function relaxedGemm(): Gemm | null {
  if (shared === undefined) shared = createGemm('relaxed-madd');
  return shared;
}
