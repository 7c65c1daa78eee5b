import type { GemmShape } from '../gemm';
import type { SimdOp } from '../simd-peak';
import type { PairTiming } from '../step-time';
import type { Workload } from '../workloads';

type Backend = 'wasm' | 'webgl' | 'webgpu';

/** What the benchmark page asks its worker to time: training steps, one matrix product (bench/gemm.ts), or the SIMD peak (bench/simd-peak.ts). */
export type BrowserRequest =
  | { readonly kind: 'steps'; readonly backend: Backend; readonly workload: Workload; readonly sparsity: number; readonly steps: number; readonly warmup: number }
  | { readonly kind: 'gemm'; readonly backend: Backend; readonly shape: GemmShape }
  | { readonly kind: 'simd-peak'; readonly backend: 'wasm'; readonly op: SimdOp };

/** WASM threads, null on the GPU backends. */
type Threads = { readonly threads: number | null };

export type BrowserAnswer =
  | ({ readonly ok: true; readonly timing: PairTiming } & Threads)
  | ({ readonly ok: true; readonly gflops: number } & Threads)
  | { readonly ok: false; readonly error: string };
