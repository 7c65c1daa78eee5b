import { setFlagsFromString } from 'node:v8';

/**
 * Node 20's V8 compiles WASM relaxed SIMD only behind a flag (Chromium 114+
 * and Node 22+ have it on). The lab's matrix product needs it for its fused
 * multiply-add (src/engine/kernels/wasm-gemm/); V8 reads the flag when a module
 * is validated, so setting it at start-up, before any kernel runs, is enough.
 * Imported for its effect by the command line, the benchmark and the tests.
 */
setFlagsFromString('--experimental-wasm-relaxed-simd');
