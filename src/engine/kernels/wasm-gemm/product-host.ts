import type { AroundOwnCalls, Call, Lanes } from './relaxed-gemm';

/** What the product (relaxed-gemm.ts) lends the passes written beside it: its memory, its lanes and B's packing. */
export interface ProductHost {
  /**
   * Consecutive 16-byte aligned regions of the given sizes in the module's memory, kept for the product (grown
   * as needed), with their byte addresses and the memory as floats. Regions earlier handed out may move.
   */
  scratch(...bytes: number[]): { at: number[]; heap: Float32Array };
  /**
   * The byte address of `array` if the module's memory holds it (tfjs's heap, where the product works there) and
   * its `floats`, plus `slack` bytes past them that a kernel may read, are inside the memory: the passes then read
   * or write it in place. `null` where it must be copied.
   */
  addressOf(array: Float32Array, floats: number, slack?: number): number | null;
  /** Runs each lane's calls (programs[0] on this thread) and returns when all are done; `around` runs on this thread beside its calls. */
  execute(programs: readonly (readonly Call[])[], around?: AroundOwnCalls): void;
  readonly lanes: Lanes;
  /** B [k×n] copied to `target` and packed into panels of `columns` (n rounded up to whole panels) at `panelsAt`. */
  packB(heap: Float32Array, b: Float32Array, k: number, n: number, columns: number, target: number, panelsAt: number): void;
}
