import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { Worker } from 'node:worker_threads';
import { startGemmThreads, type GemmThreads, type StartHelper } from '../src/engine/kernels/wasm-gemm/gemm-threads';
import { relaxedGemmPolicy, useRelaxedGemm } from '../src/engine/kernels/wasm-gemm/relaxed-gemm';
import { sharedHeapOf } from '../src/engine/kernels/tfjs-heap';

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
 * The smallest product split over the threads in Node: there the helpers spin between products for longer and
 * come at once, so products of 100k multiply-adds gain too (paired runs: an MLP step 2.63 → 2.56 ms, LeNet-5's
 * 8.35 → 8.24 ms, against 1M). In Chromium, where helpers spin less, LeNet-5 was ~1.5% slower so, and the policy's
 * 1M stays.
 */
const NODE_MIN_THREADED_WORK = 1 << 16;

/**
 * Splits the WASM kernels' relaxed-SIMD product over this thread and
 * `helpers` more (by default one per further core), as the command line and
 * the benchmark do; tfjs's WASM backend itself runs one thread in Node. Where
 * that backend has started with a shared heap (node-shared-heap.ts), the
 * product works in it, reading and writing tensors in place; start the
 * backend first. Returns `null`, leaving the product on this thread, where
 * that cannot work.
 */
export function startNodeProductHelpers(helpers = availableParallelism() - 1): GemmThreads | null {
  const heap = sharedHeapOf(tf.findBackend('wasm'));
  const threads = startGemmThreads(helpers, startNodeHelper, { spins: NODE_HELPER_SPINS, heap });
  if (threads !== null) {
    useRelaxedGemm(threads.gemm);
    relaxedGemmPolicy.minThreadedWork = NODE_MIN_THREADED_WORK;
  }
  return threads;
}
