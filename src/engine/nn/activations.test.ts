import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { activationById, blendActivation, mish, relu, swish } from './activations';

const xs = [-4, -1.5, -0.3, 0, 0.2, 1, 3.5];
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => Math.log(1 + Math.exp(x));

function values(fn: (x: tf.Tensor) => tf.Tensor): number[] {
  return tf.tidy(() => Array.from(fn(tf.tensor1d(xs)).dataSync()));
}

function derivative(fn: (x: tf.Tensor) => tf.Tensor): number[] {
  return tf.tidy(() => Array.from(tf.grad((x) => tf.sum(fn(x)))(tf.tensor1d(xs)).dataSync()));
}

describe('activations', () => {
  it('match their formulas', () => {
    values(swish).forEach((v, i) => expect(v).toBeCloseTo(xs[i]! * sigmoid(xs[i]!), 5));
    values(mish).forEach((v, i) => expect(v).toBeCloseTo(xs[i]! * Math.tanh(softplus(xs[i]!)), 5));
    values(activationById('pswish', 3)).forEach((v, i) => expect(v).toBeCloseTo(xs[i]! * sigmoid(3 * xs[i]!), 5));
  });

  it('have the derivatives of their formulas', () => {
    // swish' = σ(x) + x·σ(x)(1 − σ(x))
    derivative(swish).forEach((d, i) => {
      const s = sigmoid(xs[i]!);
      expect(d).toBeCloseTo(s + xs[i]! * s * (1 - s), 4);
    });
    // mish' = tanh(sp) + x·sech²(sp)·σ(x)
    derivative(mish).forEach((d, i) => {
      const sp = softplus(xs[i]!);
      expect(d).toBeCloseTo(Math.tanh(sp) + xs[i]! * (1 - Math.tanh(sp) ** 2) * sigmoid(xs[i]!), 4);
    });
  });

  it('blend into ReLU exactly at λ = 1 and stay soft at λ = 0', () => {
    expect(blendActivation(swish, 1)).toBe(relu);
    expect(values(blendActivation(swish, 1))).toEqual(values(relu));
    expect(values(blendActivation(swish, 0))).toEqual(values(swish));
    const half = values(blendActivation(swish, 0.25));
    half.forEach((v, i) => expect(v).toBeCloseTo(0.75 * xs[i]! * sigmoid(xs[i]!) + 0.25 * Math.max(0, xs[i]!), 5));
  });
});

describe('plain-number activation shapes (drawn in the page)', () => {
  it('agree with the tensor activations', async () => {
    const { activationValue, blendedValue } = await import('../tost/activation-shape');
    for (const id of ['relu', 'swish', 'mish', 'pswish'] as const) {
      values(activationById(id, 3)).forEach((v, i) => expect(activationValue(id, xs[i]!, 3)).toBeCloseTo(v, 5));
    }
    values(blendActivation(mish, 0.3)).forEach((v, i) => expect(blendedValue('mish', 0.3, xs[i]!)).toBeCloseTo(v, 5));
  });
});
