import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNorm, BN_EPSILON } from './batch-norm';
import { NetworkBuilder } from './builder';
import { testContext } from './test-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function layer() {
  const builder = new NetworkBuilder();
  const bn = batchNorm(builder, 'bn', 1);
  return { bn, builder };
}

// One channel, four values: mean 2.5, biased variance 1.25, unbiased 5/3.
const x = () => tf.tensor2d([[1], [2], [3], [4]]);

describe('BatchNorm (PyTorch semantics)', () => {
  it('registers γ = 1, β = 0 and running statistics 0 / 1', () => {
    const { builder } = layer();
    expect(builder.params.map((p) => [p.name, Array.from(p.init(null as never))])).toEqual([
      ['bn.weight', [1]],
      ['bn.bias', [0]],
    ]);
    expect(builder.buffers.map((b) => [b.name, b.initialValue])).toEqual([
      ['bn.running_mean', 0],
      ['bn.running_var', 1],
    ]);
  });

  it('normalises with the biased batch variance and updates running statistics with the unbiased one', () => {
    const { bn } = layer();
    const updates = new Map<number, tf.Tensor>();
    const gamma = tf.tensor1d([2]);
    const beta = tf.tensor1d([0.5]);
    const y = bn(x(), testContext([gamma, beta], [tf.tensor1d([0]), tf.tensor1d([1])], 'train', updates));
    const std = Math.sqrt(1.25 + BN_EPSILON);
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo((2 * (i + 1 - 2.5)) / std + 0.5, 5));
    expect(updates.get(0)!.dataSync()[0]).toBeCloseTo(0.1 * 2.5, 6);
    expect(updates.get(1)!.dataSync()[0]).toBeCloseTo(0.9 + 0.1 * (5 / 3), 6);
  });

  it('uses running statistics in eval mode and batch statistics without updates in batch-stats mode', () => {
    const { bn } = layer();
    const params = [tf.tensor1d([1]), tf.tensor1d([0])];
    const buffers = [tf.tensor1d([1]), tf.tensor1d([4])];
    const evalOut = bn(x(), testContext(params, buffers, 'eval')).dataSync();
    Array.from(evalOut).forEach((v, i) => expect(v).toBeCloseTo((i + 1 - 1) / Math.sqrt(4 + BN_EPSILON), 5));
    const updates = new Map<number, tf.Tensor>();
    const batchOut = bn(x(), testContext(params, buffers, 'batch-stats', updates)).dataSync();
    expect(batchOut[0]).toBeCloseTo(-1.5 / Math.sqrt(1.25 + BN_EPSILON), 5);
    expect(updates.size).toBe(0);
  });

  it('normalises per channel over batch and space for images', () => {
    const builder = new NetworkBuilder();
    const bn = batchNorm(builder, 'bn', 2);
    // Channel 0 is 1..8, channel 1 is 10× that: both normalise to the same values.
    const values = Array.from({ length: 8 }, (_, i) => [i + 1, 10 * (i + 1)]).flat();
    const y = bn(tf.tensor4d(values, [2, 2, 2, 2]), testContext([tf.ones([2]), tf.zeros([2])], [tf.zeros([2]), tf.ones([2])])).arraySync() as number[][][][];
    expect(y[0]![0]![0]![0]).toBeCloseTo(y[0]![0]![0]![1]!, 3);
    const flat = y.flat(3).filter((_, i) => i % 2 === 0);
    expect(flat.reduce((a, b) => a + b) / 8).toBeCloseTo(0, 5);
  });

  it('has the gradient finite differences give', () => {
    const { bn } = layer();
    const probe = tf.tensor2d([[0.3], [-1.2], [0.7], [2]]);
    const params = [tf.tensor1d([1.5]), tf.tensor1d([0.2])];
    const buffers = [tf.tensor1d([0]), tf.tensor1d([1])];
    const loss = (input: tf.Tensor) => tf.sum(tf.mul(bn(input, testContext(params, buffers, 'batch-stats')), probe));
    const base = [1, 2, 3.5, 4];
    const analytic = tf.grad(loss)(tf.tensor2d(base, [4, 1])).dataSync();
    const eps = 1e-2;
    base.forEach((_, i) => {
      const plus = [...base];
      const minus = [...base];
      plus[i]! += eps;
      minus[i]! -= eps;
      const numeric = (loss(tf.tensor2d(plus, [4, 1])).dataSync()[0]! - loss(tf.tensor2d(minus, [4, 1])).dataSync()[0]!) / (2 * eps);
      expect(analytic[i]).toBeCloseTo(numeric, 2);
    });
  });
});
