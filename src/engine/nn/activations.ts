import * as tf from '@tensorflow/tfjs';
import type { ActivationId } from './activation-catalog';

/** Every nonlinearity of a network goes through one of these, so a recipe can swap them all. */
export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

export const relu: ActivationFn = (x) => tf.relu(x);

/** x·σ(βx); β = 1 is Swish (PyTorch nn.SiLU). */
export function swishWithBeta(beta: number): ActivationFn {
  return (x) => tf.mul(x, tf.sigmoid(beta === 1 ? x : tf.mul(x, beta)));
}

export const swish: ActivationFn = swishWithBeta(1);

/** x·tanh(softplus(x)), softplus(x) = ln(1 + eˣ). */
export const mish: ActivationFn = (x) => tf.mul(x, tf.tanh(tf.softplus(x)));

export function activationById(id: ActivationId, pswishBeta = 2): ActivationFn {
  switch (id) {
    case 'relu':
      return relu;
    case 'swish':
      return swish;
    case 'mish':
      return mish;
    case 'pswish':
      return swishWithBeta(pswishBeta);
  }
}

/**
 * (1 − λ)·soft(x) + λ·relu(x). At the ends it is exactly one of the two
 * functions (not a product with 0 or 1), so a finished schedule leaves the
 * network bit-identical to the plain ReLU network.
 */
export function blendActivation(soft: ActivationFn, lambda: number): ActivationFn {
  if (lambda >= 1) return relu;
  if (lambda <= 0) return soft;
  return (x) => tf.add(tf.mul(soft(x), 1 - lambda), tf.mul(relu(x), lambda));
}
