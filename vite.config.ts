/// <reference types="vitest/config" />
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { datasetAssets } from './build/dataset-assets';

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer).
// A host serving the built app must send the same two headers.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), datasetAssets()],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
  // The worker's dependencies are found only when it first loads; pre-bundling
  // them at server start spares the first visitor a reload and a long wait.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-webgpu',
      '@tensorflow/tfjs-backend-wasm',
      // The threaded WASM factory, patched in src/worker/wasm-setup.ts: pre-bundled with the backend, so both share it.
      '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js',
      'comlink',
      'jpeg-js',
      'fflate',
      'modern-tar',
      'idb',
    ],
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'threads',
    // Relaxed SIMD for the lab's matrix product, as in Chromium (Node 20 has it behind a flag).
    setupFiles: ['build/vitest-setup.ts'],
    // Each test file trains on one core (tfjs in Node is single-threaded): use them all, not Vitest's default of half.
    maxWorkers: availableParallelism(),
  },
});
