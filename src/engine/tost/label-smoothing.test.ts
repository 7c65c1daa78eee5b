import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { softTargetCrossEntropy } from '../train/loss';
import { smoothedTargets } from './label-smoothing';

describe('label smoothing', () => {
  it('builds the reference-code targets: 1 − α and α/(C − 1)', () => {
    const q = smoothedTargets(tf.tensor1d([2], 'int32'), 4, { alpha: 0.1, convention: 'others' });
    const values = Array.from(q.dataSync());
    expect(values[2]).toBeCloseTo(0.9, 6);
    for (const i of [0, 1, 3]) expect(values[i]).toBeCloseTo(0.1 / 3, 6);
    expect(values.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
  });

  it('builds the uniform targets: (1 − α)·one-hot + α/C', () => {
    const values = Array.from(smoothedTargets(tf.tensor1d([0], 'int32'), 4, { alpha: 0.2, convention: 'uniform' }).dataSync());
    expect(values[0]).toBeCloseTo(0.8 + 0.05, 6);
    expect(values[3]).toBeCloseTo(0.05, 6);
  });

  it('gives the loss and gradient computed by hand', () => {
    // logits [0, ln 2, 0] → softmax [1/4, 1/2, 1/4]; label 1, α = 0.1, C = 3, 'others': q = [0.05, 0.9, 0.05].
    const logits = tf.tensor2d([[0, Math.log(2), 0]]);
    const targets = smoothedTargets(tf.tensor1d([1], 'int32'), 3, { alpha: 0.1, convention: 'others' });
    const loss = softTargetCrossEntropy(logits, targets).dataSync()[0]!;
    const expected = -(0.05 * Math.log(0.25) + 0.9 * Math.log(0.5) + 0.05 * Math.log(0.25));
    expect(loss).toBeCloseTo(expected, 5);
    // ∂L/∂z = softmax − q.
    const grad = tf.grad((z) => softTargetCrossEntropy(z as tf.Tensor2D, targets))(logits);
    const g = Array.from(grad.dataSync());
    [0.25 - 0.05, 0.5 - 0.9, 0.25 - 0.05].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 5));
  });

  it('with α = 0 equals plain cross-entropy', () => {
    const logits = tf.tensor2d([[1, -2, 0.5]]);
    const plain = softTargetCrossEntropy(logits, smoothedTargets(tf.tensor1d([0], 'int32'), 3, null)).dataSync()[0]!;
    const zero = softTargetCrossEntropy(logits, smoothedTargets(tf.tensor1d([0], 'int32'), 3, { alpha: 0, convention: 'others' })).dataSync()[0]!;
    const byHand = -(1 - Math.log(Math.exp(1) + Math.exp(-2) + Math.exp(0.5)));
    expect(plain).toBeCloseTo(byHand, 5);
    expect(zero).toBe(plain);
  });
});
