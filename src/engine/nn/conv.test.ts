import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../train/rng';
import { NetworkBuilder } from './builder';
import { conv2d, convOutputSize } from './conv';
import { testContext } from './test-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 1-channel image with values 1..h·w, a k×k all-ones filter: each output is the sum of its window. */
function windowSums(size: number, stride: number, padding: number): number[][] {
  const builder = new NetworkBuilder();
  const layer = conv2d(builder, 'c', { inChannels: 1, outChannels: 1, kernel: 3, stride, padding });
  const x = tf.tensor4d(Array.from({ length: size * size }, (_, i) => i + 1), [1, size, size, 1]);
  const y = layer(x, testContext([tf.ones([3, 3, 1, 1])]));
  return y.squeeze([0, 3]).arraySync() as number[][];
}

describe('conv2d with PyTorch padding', () => {
  it('pads symmetrically for stride 2 on an even size (TF "same" would not)', () => {
    // 4×4 image 1..16, pad 1, stride 2: windows centred on (0,0), (0,2), (2,0), (2,2).
    expect(windowSums(4, 2, 1)).toEqual([
      [1 + 2 + 5 + 6, 2 + 3 + 4 + 6 + 7 + 8],
      [5 + 6 + 9 + 10 + 13 + 14, 6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16],
    ]);
    const same = tf.conv2d(tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]), tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 2, 'same');
    expect(same.dataSync()[0]).toBe(1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11);
  });

  it('pads symmetrically for stride 2 on an odd size', () => {
    // 5×5 image, pad 1, stride 2: 3×3 output, windows centred on rows/cols 0, 2, 4.
    const sums = windowSums(5, 2, 1);
    expect(sums.length).toBe(convOutputSize(5, 3, 2, 1));
    const v = (r: number, c: number) => (r < 0 || c < 0 || r > 4 || c > 4 ? 0 : r * 5 + c + 1);
    const byHand = [0, 2, 4].map((r) => [0, 2, 4].map((c) => [-1, 0, 1].reduce((s, dr) => s + [-1, 0, 1].reduce((t, dc) => t + v(r + dr, c + dc), 0), 0)));
    expect(sums).toEqual(byHand);
  });

  it('keeps the size at stride 1 on odd and even sizes', () => {
    for (const size of [4, 5]) {
      const sums = windowSums(size, 1, 1);
      expect(sums.length).toBe(size);
      // The centre of a 3×3 window of a linear ramp is 9 × its value (interior), corners see 4 pixels.
      expect(sums[1]![1]).toBe(9 * (size + 2));
      expect(sums[0]![0]).toBe(1 + 2 + (size + 1) + (size + 2));
    }
  });

  it('has the gradient finite differences give, with zeros in a masked filter', () => {
    const rng = new Rng(9);
    const builder = new NetworkBuilder();
    const layer = conv2d(builder, 'c', { inChannels: 2, outChannels: 3, kernel: 3, stride: 2, padding: 1, bias: true });
    const x = tf.tensor4d(Array.from({ length: 2 * 6 * 6 * 2 }, () => rng.normal()), [2, 6, 6, 2]);
    const probe = tf.tensor4d(Array.from({ length: 2 * 3 * 3 * 3 }, () => rng.normal()), [2, 3, 3, 3]);
    const filterValues = builder.params[0]!.init(rng);
    for (let i = 0; i < filterValues.length; i += 3) filterValues[i] = 0; // a masked filter: every third weight pruned
    const bias = tf.tensor1d(builder.params[1]!.init(rng));
    const loss = (filter: tf.Tensor) => tf.sum(tf.mul(layer(x, testContext([filter, bias])), probe));
    const analytic = tf.grad(loss)(tf.tensor(filterValues, [3, 3, 2, 3])).dataSync();
    const eps = 1e-2;
    for (const index of [0, 1, 7, 20, 33, 53]) {
      const plus = Float32Array.from(filterValues);
      const minus = Float32Array.from(filterValues);
      plus[index]! += eps;
      minus[index]! -= eps;
      const numeric = (loss(tf.tensor(plus, [3, 3, 2, 3])).dataSync()[0]! - loss(tf.tensor(minus, [3, 3, 2, 3])).dataSync()[0]!) / (2 * eps);
      expect(analytic[index]).toBeCloseTo(numeric, 2);
    }
  });
});
