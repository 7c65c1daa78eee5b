import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../train/rng';
import { prepareBackends, randomValues, relativeError } from './testing/backend-parity';
import { relaxedGemm, relaxedGemmPolicy } from './wasm-gemm/relaxed-gemm';

interface ProductCase {
  readonly batch: number[];
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly seed: number;
}

const side = fc.integer({ min: 1, max: 9 });
/** Sides whose product reaches relaxedGemmPolicy.minWork, so plain products run on the relaxed-SIMD kernel. */
const largeSide = fc.integer({ min: Math.ceil(Math.cbrt(relaxedGemmPolicy.minWork)), max: 45 });
/** Plain matrices, a batch of one, and real batches (which the wrapper leaves to the stock kernel). */
const caseOf = (sides: fc.Arbitrary<number>): fc.Arbitrary<ProductCase> => fc.record({
  batch: fc.constantFrom([], [1], [3], [2, 1]),
  m: sides,
  k: sides,
  n: sides,
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

interface ProductRun {
  /** The product, then the gradients of Σ (a·b) ⊙ r with respect to a and b. */
  readonly values: Float32Array[];
  readonly leakedTensors: number;
  readonly leakedBuffers: number;
}

async function product(backend: 'cpu' | 'wasm', c: ProductCase): Promise<ProductRun> {
  await tf.setBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.engine().backend.numDataIds();
  const rng = new Rng(c.seed);
  const aShape = [...c.batch, ...(c.transposeA ? [c.k, c.m] : [c.m, c.k])];
  const bShape = [...c.batch, ...(c.transposeB ? [c.n, c.k] : [c.k, c.n])];
  const results = tf.tidy(() => {
    const a = tf.tensor(randomValues(aShape, rng), aShape);
    const b = tf.tensor(randomValues(bShape, rng), bShape);
    const multiply = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, c.transposeA, c.transposeB);
    const out = multiply(a, b);
    const weighting = tf.tensor(randomValues(out.shape, rng), out.shape);
    const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(multiply(x, y), weighting)))([a, b]);
    return [out, ...grads];
  });
  const values = results.map((t) => t.dataSync() as Float32Array);
  tf.dispose(results);
  return {
    values,
    leakedTensors: tf.memory().numTensors - tensorsBefore,
    leakedBuffers: tf.engine().backend.numDataIds() - buffersBefore,
  };
}

describe('BatchMatMul on wasm', () => {
  beforeAll(prepareBackends);

  const matchesCpu = async (c: ProductCase) => {
    const wasm = await product('wasm', c);
    const cpu = await product('cpu', c);
    wasm.values.forEach((values, i) => expect(relativeError(values, cpu.values[i]!)).toBeLessThan(1e-5));
    expect(wasm.leakedTensors).toBe(0);
    expect(wasm.leakedBuffers).toBe(0);
  };

  it('gives the CPU backend’s product and gradients for random shapes and transpose flags', async () => {
    await fc.assert(fc.asyncProperty(caseOf(side), matchesCpu), { numRuns: 200 });
  });

  it('does so on the relaxed-SIMD product, for products large enough to use it', async () => {
    expect(relaxedGemm()).not.toBeNull();
    await fc.assert(fc.asyncProperty(caseOf(largeSide), matchesCpu), { numRuns: 40 });
  });
});
