import type { AroundOwnCalls, Call, Lanes } from './relaxed-gemm';

/** What the product (relaxed-gemm.ts) lends the passes written beside it: its memory, its lanes and B's packing. */
export interface ProductHost {
  /**
   * Consecutive 16-byte aligned regions of the given sizes in the module's memory, kept for the product (grown
   * as needed), with their byte addresses and the memory as floats. Regions earlier handed out may move.
   */
  scratch(...bytes: number[]): { at: number[]; heap: Float32Array };
  /**
   * The byte address of `array`'s first `floats` if the module's memory holds them (tfjs's heap, where the product
   * works there) and `readPast` floats more: the passes then read or write them in place. `null` where they must be
   * copied. Past a tensor of tfjs's heap lie the heap's own words, mostly subnormal as floats, and a multiply-add
   * with a subnormal is slow on x64: a filter whose padding columns came from past its end (reaching only padding
   * of C, but multiplied by every output pixel) made LeNet-5's first layer 3× slower. So a pass reads in place only
   * operands it reads within their end, or whose floats past it meet one row of the product (dy's last row).
   */
  addressOf(array: Float32Array, floats: number, readPast?: number): number | null;
  /** Runs each lane's calls (programs[0] on this thread) and returns when all are done; `around` runs on this thread beside its calls. */
  execute(programs: readonly (readonly Call[])[], around?: AroundOwnCalls): void;
  readonly lanes: Lanes;
  /** B [k×n] packed into panels of `columns` (n rounded up to whole panels) at `panelsAt`: read in place where it can, else copied to `target` first. */
  packB(heap: Float32Array, b: Float32Array, k: number, n: number, columns: number, target: number, panelsAt: number): void;
}
