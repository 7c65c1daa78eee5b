import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareBackends, randomValues, relativeError } from '../kernels/testing/backend-parity';
import { Rng } from '../train/rng';
import { batchNormReady } from '../kernels/batch-norm-train';
import { batchNormalize } from './batch-normalize';

const EPSILON = 1e-5;

/** The same layer from plain ops, differentiated by tfjs: the reference the closed form must agree with. */
function autodiffBatchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, Array.from({ length: x.rank - 1 }, (_, i) => i));
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, EPSILON))), gamma), beta);
}

const closedForm = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => batchNormalize(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, EPSILON, false).output;

interface Case {
  readonly shape: number[];
  readonly seed: number;
}

/** Any few channels, and multiples of 4, which the fused WASM kernels take (kernels/batch-norm-train.ts). */
const channelCounts = fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(4, 8, 12, 16));

/** Rank 2 (after a linear layer) or 4 (after a convolution), at least two values per channel. */
const cases: fc.Arbitrary<Case> = fc
  .record({
    shape: fc.oneof(
      fc.tuple(fc.integer({ min: 2, max: 9 }), channelCounts).map((s) => [...s]),
      fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), channelCounts).map((s) => [...s]),
    ),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .filter((c) => c.shape.slice(0, -1).reduce((a, b) => a * b, 1) >= 2);

type Layer = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;

/** Output and gradients of Σ layer(x, γ, β) ⊙ r for a random weighting r, as plain arrays. */
function outputAndGradients(layer: Layer, c: Case): Float32Array[] {
  const rng = new Rng(c.seed);
  const channels = c.shape.at(-1)!;
  return tf.tidy(() => {
    // An offset and a spread per tensor, so the statistics are far from 0 and 1.
    const x = tf.add(tf.mul(tf.tensor(randomValues(c.shape, rng), c.shape), 3), 2);
    const gamma = tf.tensor1d(randomValues([channels], rng));
    const beta = tf.tensor1d(randomValues([channels], rng));
    const weighting = tf.tensor(randomValues(c.shape, rng), c.shape);
    const loss = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(layer(a, b, d), weighting));
    const { grads } = tf.valueAndGrads(loss)([x, gamma, beta]);
    return [layer(x, gamma, beta), ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

/** The smallest standard deviation of any channel of the case's x (the values outputAndGradients draws). */
function smallestChannelSpread(c: Case): number {
  const values = randomValues(c.shape, new Rng(c.seed)).map((u) => 3 * u + 2);
  const channels = c.shape.at(-1)!;
  const perChannel = values.length / channels;
  let smallest = Infinity;
  for (let ch = 0; ch < channels; ch++) {
    let sum = 0;
    let sumOfSquares = 0;
    for (let i = ch; i < values.length; i += channels) sum += values[i]!;
    const mean = sum / perChannel;
    for (let i = ch; i < values.length; i += channels) sumOfSquares += (values[i]! - mean) ** 2;
    smallest = Math.min(smallest, Math.sqrt(sumOfSquares / perChannel));
  }
  return smallest;
}

describe('batchNormalize', () => {
  beforeAll(prepareBackends);

  it.each(['cpu', 'wasm'])('gives the output and gradients of the differentiated plain ops on %s, for random shapes', async (backend) => {
    await tf.setBackend(backend);
    fc.assert(
      fc.property(cases, (c) => {
        const expected = outputAndGradients(autodiffBatchNorm, c);
        const actual = outputAndGradients(closedForm, c);
        // Both sides are float32: x − mean loses digits in proportion to 1/σ when a channel's few values nearly agree.
        const tolerance = 1e-4 * Math.max(1, 0.1 / smallestChannelSpread(c));
        expected.forEach((values, i) => expect(relativeError(actual[i]!, values)).toBeLessThan(tolerance));
      }),
      { numRuns: 100 },
    );
  });

  it('has the gradients central differences give', async () => {
    await tf.setBackend('cpu');
    const shape = [3, 2, 2, 2];
    const rng = new Rng(11);
    const base = { x: randomValues(shape, rng), gamma: randomValues([2], rng), beta: randomValues([2], rng) };
    const weighting = tf.tensor(randomValues(shape, rng), shape);
    const loss = (x: Float32Array, gamma: Float32Array, beta: Float32Array) =>
      tf.tidy(() => tf.sum(tf.mul(closedForm(tf.tensor(x, shape), tf.tensor1d(gamma), tf.tensor1d(beta)), weighting)).dataSync()[0]!);
    const [, dx, dGamma, dBeta] = outputAndGradientsAt(base, shape, weighting);
    const step = 1e-2;
    const numeric = (which: 'x' | 'gamma' | 'beta', index: number) => {
      const plus = { ...base, [which]: Float32Array.from(base[which]) };
      const minus = { ...base, [which]: Float32Array.from(base[which]) };
      plus[which][index]! += step;
      minus[which][index]! -= step;
      return (loss(plus.x, plus.gamma, plus.beta) - loss(minus.x, minus.gamma, minus.beta)) / (2 * step);
    };
    base.x.forEach((_, i) => expect(dx![i]).toBeCloseTo(numeric('x', i), 2));
    base.gamma.forEach((_, i) => expect(dGamma![i]).toBeCloseTo(numeric('gamma', i), 2));
    base.beta.forEach((_, i) => expect(dBeta![i]).toBeCloseTo(numeric('beta', i), 2));
    weighting.dispose();
  });

  it.each([
    { name: 'composed (2 channels)', columns: [[1, 10], [2, 20], [3, 30], [4, 40]], fused: false },
    { name: 'fused (4 channels)', columns: [[1, 10, -1, 0], [2, 20, -2, 0], [3, 30, -3, 0], [4, 40, -4, 0]], fused: true },
  ])('$name: hands out the batch mean and biased variance, and leaves no tensor behind', async ({ columns, fused }) => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(columns);
    const channels = columns[0]!.length;
    expect(batchNormReady(x)).toBe(fused);
    const gamma = tf.tensor1d(Array.from({ length: channels }, (_, c) => c + 1));
    const beta = tf.tensor1d(Array.from({ length: channels }, (_, c) => c));
    const { mean, variance } = tf.tidy(() => {
      const normalized = batchNormalize(x, gamma, beta, EPSILON, true);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(batchNormalize(a, b as tf.Tensor1D, beta, EPSILON, false).output))([x, gamma]);
      expect(grads).toHaveLength(2);
      return { mean: normalized.mean!, variance: normalized.variance! };
    });
    expect(Array.from(mean.dataSync()).slice(0, 2)).toEqual([2.5, 25]);
    expect(Array.from(variance.dataSync()).slice(0, 2)).toEqual([1.25, 125]);
    tf.dispose([mean, variance, x, gamma, beta]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs on the fused kernels on WASM only for float32 channels-last data with channels a multiple of 4', async () => {
    await tf.setBackend('wasm');
    const ready = (shape: number[]) => {
      const x = tf.zeros(shape);
      const answer = batchNormReady(x);
      x.dispose();
      return answer;
    };
    expect(ready([2, 3, 3, 8])).toBe(true);
    expect(ready([2, 3, 3, 6])).toBe(false);
    expect(ready([8])).toBe(false);
    await tf.setBackend('cpu');
    expect(ready([2, 8])).toBe(false);
  });
});

function outputAndGradientsAt(values: { x: Float32Array; gamma: Float32Array; beta: Float32Array }, shape: number[], weighting: tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor(values.x, shape);
    const gamma = tf.tensor1d(values.gamma);
    const beta = tf.tensor1d(values.beta);
    const loss = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(closedForm(a, b, d), weighting));
    const { value, grads } = tf.valueAndGrads(loss)([x, gamma, beta]);
    return [value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}
