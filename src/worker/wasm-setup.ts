/// <reference lib="webworker" />
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as threadedFactoryModule from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import threadedFactorySource from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { relaxedGemm } from '../engine/kernels/wasm-gemm/relaxed-gemm';

/** The machine's logical cores, as the browser reported them before prepareWasm changed what it reports. */
const logicalCores = self.navigator.hardwareConcurrency || 1;

/** Threads a WASM training step is given: every core, up to the 8 pthread workers tfjs's build starts with. */
export function wasmThreadsWanted(): number {
  return Math.max(1, Math.min(8, logicalCores));
}

/**
 * Whether the lab's product will run on every core (gemm-helpers.ts): the
 * engine has relaxed SIMD and the page is cross-origin isolated.
 */
export function productTakesTheCores(): boolean {
  return self.crossOriginIsolated && wasmThreadsWanted() > 1 && relaxedGemm() !== null;
}

/**
 * Makes the WASM backend ready to start in a bundled module worker, threaded
 * where the page is cross-origin isolated.
 *
 * Each pthread worker of the threaded build loads the Emscripten factory from
 * a script tfjs makes of `factory.toString()`. Bundled, that function's text
 * refers to names of the bundle around it (minified to `e` in a build), which
 * do not exist in the pthread worker: it throws "e is not defined" and the
 * backend never starts. The factory object is the one tfjs imports (same
 * module), so giving it a toString that returns Emscripten's original file,
 * unbundled, hands the pthread workers a script that stands on its own.
 */
export function prepareWasm(): void {
  // Vite fingerprints and serves the WASM binaries; tell the backend where they are.
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  const factory = ((threadedFactoryModule as { default?: unknown }).default ?? threadedFactoryModule) as { toString(): string };
  factory.toString = () => `(() => {\n${threadedFactorySource}\nreturn WasmBackendModuleThreadedSimd;\n})()`;
  // Where the lab's product and its helpers take every core, tfjs's own pool
  // keeps to this thread: its threads spin after each op they share, which
  // took the cores from the product's helpers (measured in Chromium on 2
  // cores: MLP 26,500 → 40,500 and LeNet-5 7,700 → 12,000 images/s with one
  // pool thread; ResNet-20 unchanged). Elsewhere the pool takes the cores.
  // tfjs caps its thread pool at navigator.hardwareConcurrency / 2 (taking
  // every core for two hyperthreads), read by the WASM module as it starts:
  // one thread on a 2-core machine, whatever setThreadsCount asks. This
  // worker reports twice the threads wanted, so the cap lets them through.
  const threads = productTakesTheCores() ? 1 : wasmThreadsWanted();
  Object.defineProperty(self.navigator, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  setThreadsCount(threads);
}
