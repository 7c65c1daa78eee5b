import type { AroundOwnCalls, Call, Lanes } from './relaxed-gemm';

/** What the product (relaxed-gemm.ts) lends the passes written beside it: its memory, its lanes and B's packing. */
export interface ProductHost {
  /** The module's memory as floats, grown to `end` bytes first. */
  heapOf(end: number): Float32Array;
  /** Runs each lane's calls (programs[0] on this thread) and returns when all are done; `around` runs on this thread beside its calls. */
  execute(programs: readonly (readonly Call[])[], around?: AroundOwnCalls): void;
  readonly lanes: Lanes;
  /** B [k×n] copied to `target` and packed into panels of `columns` (n rounded up to whole panels) at `panelsAt`. */
  packB(heap: Float32Array, b: Float32Array, k: number, n: number, columns: number, target: number, panelsAt: number): void;
}
