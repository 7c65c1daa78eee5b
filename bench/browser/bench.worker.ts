/// <reference lib="webworker" />
/**
 * Times one workload (or one matrix product) on one backend, the way the lab's worker trains (same
 * WASM setup: threads, the lab's kernels). The page starts a fresh worker per
 * measurement, so a backend that hangs or runs out of memory can be dropped.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { selfCheck } from '../../src/engine/backend';
import { startProductHelpers } from '../../src/worker/gemm-helpers';
import { prepareWasm } from '../../src/worker/wasm-setup';
import { tfjsGemmGflops } from '../gemm';
import { simdPeakGflops } from '../simd-peak';
import { timeMaskedAndUnmasked } from '../step-time';
import type { BrowserAnswer, BrowserRequest } from './protocol';
import { registerTrainingKernels } from '../../src/engine/kernels/registry';

prepareWasm();
// The stock WASM backend cannot train a CNN (no filter gradients) and WebGPU's AddN breaks past 7 inputs: the lab's kernels fill the gaps.
registerTrainingKernels();
const productHelpers = startProductHelpers();

self.onmessage = async (event: MessageEvent<BrowserRequest>) => {
  const request = event.data;
  const { backend } = request;
  let answer: BrowserAnswer;
  try {
    if (!(await tf.setBackend(backend)) || tf.getBackend() !== backend) throw new Error(`${backend} did not initialise`);
    await tf.ready();
    // The lab's check: a backend can start and still compute garbage.
    const problem = await selfCheck();
    if (problem) throw new Error(problem);
    await productHelpers.ready;
    if (backend === 'wasm') await productHelpers.moveToHeap(tf.backend());
    const threads = backend === 'wasm' ? productHelpers.wasmThreads() : null;
    if (request.kind === 'gemm') {
      answer = { ok: true, gflops: await tfjsGemmGflops(request.shape), threads };
    } else if (request.kind === 'simd-peak') {
      const gflops = await simdPeakGflops(request.op);
      if (typeof gflops === 'string') throw new Error(gflops);
      // One thread: the loop runs on the worker's own, whatever tfjs's pool has.
      answer = { ok: true, gflops, threads: 1 };
    } else {
      const { workload, sparsity, steps, warmup } = request;
      answer = { ok: true, timing: await timeMaskedAndUnmasked(workload, sparsity, steps, warmup, workload.oneAtATime), threads };
    }
  } catch (error) {
    answer = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(answer);
};
