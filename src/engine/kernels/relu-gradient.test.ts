import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../train/rng';
import { reluGradient, RELU_GRADIENT } from './relu-gradient';
import { prepareBackends, randomValues } from './testing/backend-parity';

/** ∂/∂x of Σ relu(x)·w through tfjs's gradient registry, on the current backend. */
function gradientOfRelu(values: Float32Array, weights: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor(values, shape);
    const w = tf.tensor(weights, shape);
    return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.relu(input), w)))(x).dataSync() as Float32Array;
  });
}

describe('ReLU gradient', () => {
  beforeAll(prepareBackends);

  it('on WASM, through the fused kernel, equals the CPU backend’s for any size (tails past whole vectors too), zeros included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (shape, seed) => {
        const rng = new Rng(seed);
        const values = randomValues(shape, rng);
        values[0] = 0;
        const weights = randomValues(shape, rng);
        await tf.setBackend('cpu');
        const expected = gradientOfRelu(values, weights, shape);
        await tf.setBackend('wasm');
        // dy·0 is −0 where dy < 0 on the CPU backend and +0 from the fused kernel: the same gradient.
        const plusZero = (array: Float32Array) => Array.from(array, (value) => value + 0);
        expect(plusZero(gradientOfRelu(values, weights, shape))).toEqual(plusZero(expected));
      }),
      { numRuns: 60 },
    );
  });

  it('takes the fused kernel on WASM and leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([-1, 0, 2, 3, -4]);
    const dy = tf.tensor1d([10, 20, 30, 40, 50]);
    const before = tf.memory().numTensors;
    let values: number[] = [];
    const profile = await tf.profile(() => {
      const dx = reluGradient(dy, x);
      values = Array.from(dx.dataSync());
      dx.dispose();
    });
    expect(profile.kernelNames).toEqual([RELU_GRADIENT]);
    expect(values).toEqual([0, 0, 30, 40, 0]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, dy]);
  });
});
