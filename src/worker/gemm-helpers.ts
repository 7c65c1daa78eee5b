/// <reference lib="webworker" />
import { startGemmThreads, type GemmThreads, type StartHelper } from '../engine/kernels/wasm-gemm/gemm-threads';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { relaxedGemm, useRelaxedGemm } from '../engine/kernels/wasm-gemm/relaxed-gemm';
import { sharedHeapOf } from '../engine/kernels/tfjs-heap';
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
  /**
   * Once the WASM backend is up, restarts the product and its helpers in its heap where that is shared (the
   * threaded build, in a cross-origin isolated page): they then read and write tensors in place rather than
   * copying them into a memory of their own. Settles when they run there, or when they stay where they were
   * (no shared heap, or the new helpers did not start within a few seconds).
   */
  moveToHeap(backend: unknown): Promise<void>;
}

/** How long a set of helpers may take to start before the product does without them. */
const START_PATIENCE_MS = 5000;

/** Whether `threads` came up within START_PATIENCE_MS, failed to, or are still starting. */
async function started(threads: GemmThreads): Promise<'up' | 'failed' | 'late'> {
  const timeout = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), START_PATIENCE_MS));
  return Promise.race([threads.ready().then(() => 'up' as const, () => 'failed' as const), timeout]);
}

/**
 * Splits the WASM kernels' relaxed-SIMD product over this worker and one
 * helper per further core, as the WASM backend's own thread pool is sized
 * (wasm-setup.ts). Only where the page is cross-origin isolated (shared
 * memory); otherwise the product runs on this worker alone.
 */
export function startProductHelpers(): ProductHelpers {
  let threads: GemmThreads | null = self.crossOriginIsolated ? startGemmThreads(wasmThreadsWanted() - 1, startBrowserHelper) : null;
  if (threads !== null) useRelaxedGemm(threads.gemm);
  const first = threads;
  // Helpers still starting after a while may come up later; the product runs on this worker alone meanwhile.
  const ready = first
    ? started(first).then((state) => {
        if (state === 'failed') first.stop();
      })
    : Promise.resolve();
  let moved = false;
  return {
    ready,
    wasmThreads: () => (relaxedGemm() === null ? getThreadsCount() : (threads?.lanes() ?? 1)),
    async moveToHeap(backend) {
      const heap = sharedHeapOf(backend);
      if (moved || threads === null || heap === null) return;
      moved = true;
      const inHeap = startGemmThreads(wasmThreadsWanted() - 1, startBrowserHelper, { heap });
      if (inHeap === null) return;
      if ((await started(inHeap)) !== 'up') {
        inHeap.stop();
        return;
      }
      useRelaxedGemm(inHeap.gemm);
      threads.stop();
      threads = inHeap;
    },
  };
}
