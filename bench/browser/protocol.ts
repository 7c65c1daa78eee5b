import type { PairTiming } from '../step-time';
import type { Workload } from '../workloads';

/** What the benchmark page asks its worker to time. */
export interface BrowserRequest {
  readonly backend: 'wasm' | 'webgl' | 'webgpu';
  readonly workload: Workload;
  readonly sparsity: number;
  readonly steps: number;
  readonly warmup: number;
}

export type BrowserAnswer =
  | { readonly ok: true; readonly timing: PairTiming; /** WASM threads, null on the GPU backends. */ readonly threads: number | null }
  | { readonly ok: false; readonly error: string };
