import type { ActivationId } from '../nn/activation-catalog';

/**
 * The activations as plain functions of a number, for drawing their shape in
 * the page without tfjs. activations.test.ts checks them against the tensor versions.
 */
export function activationValue(id: ActivationId, x: number, pswishBeta = 2): number {
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
  switch (id) {
    case 'relu':
      return Math.max(0, x);
    case 'swish':
      return x * sigmoid(x);
    case 'pswish':
      return x * sigmoid(pswishBeta * x);
    case 'mish':
      return x * Math.tanh(Math.log1p(Math.exp(x)));
  }
}

/** (1 − λ)·soft(x) + λ·relu(x), as the ghost-neuron blend computes it. */
export function blendedValue(soft: ActivationId, lambda: number, x: number, pswishBeta = 2): number {
  return (1 - lambda) * activationValue(soft, x, pswishBeta) + lambda * Math.max(0, x);
}
