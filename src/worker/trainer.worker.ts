/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerTrainingKernels } from '../engine/kernels/registry';
import { createTrainer } from './trainer';

// Vite fingerprints and serves the WASM binaries; tell the backend where they are.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

// The threaded build's pthread workers cannot load their script from a bundled
// module worker (they fail with "e is not defined"); use SIMD on one thread
// until the lab ships its own pthread worker.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
// The stock WASM backend cannot train a CNN (no filter gradients); these kernels fill the gap.
registerTrainingKernels();

Comlink.expose(
  createTrainer({
    wasmThreads: () => getThreadsCount(),
    load: { fetch: (url, init) => self.fetch(url, init), baseUrl: new URL(import.meta.env.BASE_URL, self.location.origin).href },
  }),
);
