import * as tf from '@tensorflow/tfjs';

/**
 * One matrix product [m×k]·[k×n], no training around it: the ceiling a
 * GEMM-bound training step can reach on a backend, measured the same way in
 * tfjs and PyTorch. It separates what tfjs's kernels could still gain from
 * what the instruction set allows (WASM SIMD is 128-bit without fused
 * multiply-add; PyTorch's OpenBLAS uses the CPU's AVX2/AVX-512 FMA).
 */
export interface GemmShape {
  readonly name: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

export const GEMM_SHAPES: readonly GemmShape[] = [
  { name: 'MLP layer 1 (128×784·784×300)', m: 128, k: 784, n: 300 },
  { name: 'square 1024', m: 1024, k: 1024, n: 1024 },
];

const flops = (shape: GemmShape) => 2 * shape.m * shape.k * shape.n;

/** GFLOP/s of the median of repeated products on tfjs's current backend (about `seconds` of timing). */
export async function tfjsGemmGflops(shape: GemmShape, seconds = 1): Promise<number> {
  const a = tf.randomNormal([shape.m, shape.k]);
  const b = tf.randomNormal([shape.k, shape.n]);
  const product = async () => {
    const start = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    return performance.now() - start;
  };
  try {
    const first = await product();
    const reps = Math.max(5, Math.min(200, Math.round((seconds * 1000) / Math.max(first, 0.01))));
    const times: number[] = [];
    for (let i = 0; i < reps; i++) times.push(await product());
    times.sort((x, y) => x - y);
    return flops(shape) / (times[Math.floor(times.length / 2)]! / 1000) / 1e9;
  } finally {
    tf.dispose([a, b]);
  }
}
