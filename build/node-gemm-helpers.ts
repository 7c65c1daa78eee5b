import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { startGemmThreads, type GemmThreads, type StartHelper } from '../src/engine/kernels/wasm-gemm/gemm-threads';
import { useRelaxedGemm } from '../src/engine/kernels/wasm-gemm/relaxed-gemm';

/** A product helper on a Node worker thread, unref'd so that it never keeps the process alive. */
export const startNodeHelper: StartHelper = (helperFunction, setup) => {
  const worker = new Worker(`const { workerData } = require('node:worker_threads'); (${helperFunction})(workerData);`, { eval: true, workerData: setup });
  worker.unref();
  return { terminate: () => void worker.terminate() };
};

/**
 * How many times a helper checks for the next product before it sleeps (~0.4
 * ms): tfjs's WASM backend runs one thread in Node, so nothing else needs the
 * helpers' cores during training (gemm-threads.ts, HELPER_SPINS).
 */
const NODE_HELPER_SPINS = 50_000;

/**
 * Splits the WASM kernels' relaxed-SIMD product over this thread and
 * `helpers` more (by default one per further core), as the command line and
 * the benchmark do; tfjs's WASM backend itself runs one thread in Node.
 * Returns `null`, leaving the product on this thread, where that cannot work.
 */
export function startNodeProductHelpers(helpers = availableParallelism() - 1): GemmThreads | null {
  const threads = startGemmThreads(helpers, startNodeHelper, 'relaxed-madd', NODE_HELPER_SPINS);
  if (threads !== null) useRelaxedGemm(threads.gemm);
  return threads;
}
