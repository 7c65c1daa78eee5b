/// <reference lib="webworker" />
import { startGemmThreads, type GemmThreads, type StartHelper } from '../engine/kernels/wasm-gemm/gemm-threads';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { relaxedGemm, useRelaxedGemm } from '../engine/kernels/wasm-gemm/relaxed-gemm';
import { wasmThreadsWanted } from './wasm-setup';

/**
 * A product helper in a worker of its own, made from a script in a Blob: it
 * needs nothing but the helper function, so no bundled module is involved,
 * and a blob worker inherits this worker's cross-origin isolation.
 */
const startBrowserHelper: StartHelper = (helperFunction, setup) => {
  const source = `self.onmessage = (event) => { self.onmessage = null; (${helperFunction})(event.data); };`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url, { name: `matrix product helper ${setup.lane}` });
  worker.postMessage(setup);
  return {
    terminate: () => {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
};

export interface ProductHelpers {
  /** Settles once the helpers are up, or were stopped for failing to start, or after a few seconds of waiting. */
  readonly ready: Promise<void>;
  /**
   * Threads a WASM training step runs on: the backend's pool runs the kernels
   * left to XNNPACK but, where the engine has relaxed SIMD, the convolutions
   * and matrix products, nearly all of a step, run on the lab's product and
   * its helpers instead (and the pool keeps to one thread, wasm-setup.ts).
   */
  wasmThreads(): number;
}

/**
 * Splits the WASM kernels' relaxed-SIMD product over this worker and one
 * helper per further core, as the WASM backend's own thread pool is sized
 * (wasm-setup.ts). Only where the page is cross-origin isolated (shared
 * memory); otherwise the product runs on this worker alone.
 */
export function startProductHelpers(): ProductHelpers {
  const threads: GemmThreads | null = self.crossOriginIsolated ? startGemmThreads(wasmThreadsWanted() - 1, startBrowserHelper) : null;
  if (threads !== null) useRelaxedGemm(threads.gemm);
  const ready = threads
    ? Promise.race([threads.ready(), new Promise<void>((resolve) => setTimeout(resolve, 5000))]).catch(() => threads.stop())
    : Promise.resolve();
  return {
    ready,
    wasmThreads: () => (relaxedGemm() === null ? getThreadsCount() : (threads?.lanes() ?? 1)),
  };
}
