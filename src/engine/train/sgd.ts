import * as tf from '@tensorflow/tfjs';
import { sgdStep, sgdStepReady } from '../kernels/sgd-step';

export interface SgdSettings {
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
}

/**
 * One step of PyTorch's SGD (dampening 0, no Nesterov), masked:
 *   d = (g + λ·w) ⊙ m,   b ← μ·b + d,   w ← w − lr·b.
 * The mask is applied to the decayed gradient, so a pruned weight that starts
 * at 0 gets d = 0, its buffer stays 0 and the weight stays exactly 0.
 * PyTorch's first step sets b = d, the same as μ·0 + d.
 * On WASM it is one fused pass (kernels/sgd-step.ts), bit for bit the same.
 * Returns Σ|w'| as a scalar, non-finite if any new weight is (the step's
 * health check; on WASM the fused pass sums it too). Call inside tf.tidy.
 */
export function sgdUpdate(
  weight: tf.Variable,
  gradient: tf.Tensor,
  buffer: tf.Variable | null,
  mask: tf.Tensor | null,
  settings: SgdSettings,
): tf.Scalar {
  if (sgdStepReady(weight, gradient, buffer, mask) && (mask === null || tf.util.arraysEqual(mask.shape, weight.shape))) {
    const [nextWeight, weightMass, nextBuffer] = sgdStep(weight, gradient, buffer, mask, settings);
    if (buffer) buffer.assign(nextBuffer!);
    weight.assign(nextWeight!);
    return weightMass as tf.Scalar;
  }
  let direction = settings.weightDecay > 0 ? tf.add(gradient, tf.mul(weight, settings.weightDecay)) : gradient;
  if (mask) direction = tf.mul(direction, mask);
  if (buffer) {
    const nextBuffer = tf.add(tf.mul(buffer, settings.momentum), direction);
    buffer.assign(nextBuffer);
    direction = nextBuffer;
  }
  const nextWeight = tf.sub(weight, tf.mul(direction, settings.lr));
  weight.assign(nextWeight);
  return tf.sum(tf.abs(nextWeight));
}
