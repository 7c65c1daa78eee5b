import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../train/rng';
import { NetworkBuilder } from './builder';
import { dense } from './masked-dense';
import { testContext } from './test-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('dense layer (PyTorch layout)', () => {
  it('computes x·Wᵀ + b with W stored [out, in]', () => {
    const builder = new NetworkBuilder();
    const layer = dense(builder, 'fc', 2, 3);
    expect(builder.params.map((p) => p.shape)).toEqual([[3, 2], [3]]);
    const y = layer(tf.tensor2d([[1, 2]]), testContext([tf.tensor2d([[1, 0], [0, 1], [1, 1]]), tf.tensor1d([0.5, 0, -1])]));
    expect(Array.from(y.dataSync())).toEqual([1.5, 2, 2]);
  });

  it('draws PyTorch-default weights within ±1/√fan_in', () => {
    const builder = new NetworkBuilder();
    dense(builder, 'fc', 16, 8);
    const values = builder.params[0]!.init(new Rng(1));
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.2);
  });

  it('has the gradient finite differences give, with zeros in a masked weight', () => {
    const rng = new Rng(2);
    const builder = new NetworkBuilder();
    const layer = dense(builder, 'fc', 5, 4);
    const x = tf.tensor2d(Array.from({ length: 15 }, () => rng.normal()), [3, 5]);
    const probe = tf.tensor2d(Array.from({ length: 12 }, () => rng.normal()), [3, 4]);
    const weights = builder.params[0]!.init(rng).map((v, i) => (i % 4 === 0 ? 0 : v));
    const bias = tf.tensor1d(builder.params[1]!.init(rng));
    const loss = (w: tf.Tensor) => tf.sum(tf.mul(layer(x, testContext([w, bias])), probe));
    const analytic = tf.grad(loss)(tf.tensor(weights, [4, 5])).dataSync();
    const eps = 1e-2;
    for (let index = 0; index < 20; index += 3) {
      const plus = Float32Array.from(weights);
      const minus = Float32Array.from(weights);
      plus[index]! += eps;
      minus[index]! -= eps;
      const numeric = (loss(tf.tensor(plus, [4, 5])).dataSync()[0]! - loss(tf.tensor(minus, [4, 5])).dataSync()[0]!) / (2 * eps);
      expect(analytic[index]).toBeCloseTo(numeric, 2);
    }
  });
});
