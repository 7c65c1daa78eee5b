/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { startProductHelpers } from './gemm-helpers';
import { createTrainer } from './trainer';
import { prepareWasm } from './wasm-setup';
import { registerTrainingKernels } from '../engine/kernels/registry';

prepareWasm();
// The stock WASM backend cannot train a CNN (no filter gradients) and WebGPU's AddN breaks past 7 inputs: the lab's kernels fill the gaps.
registerTrainingKernels();
const productHelpers = startProductHelpers();

Comlink.expose(
  createTrainer({
    wasmThreads: async () => {
      await productHelpers.ready;
      await productHelpers.moveToHeap(tf.findBackend('wasm'));
      return productHelpers.wasmThreads();
    },
    load: { fetch: (url, init) => self.fetch(url, init), baseUrl: new URL(import.meta.env.BASE_URL, self.location.origin).href },
  }),
);
