import * as tf from '@tensorflow/tfjs';
import type { LayerPosition, ParamSpec } from '../models/network';
import { pytorchDefaultUniform } from './init';

/**
 * A fully connected layer in PyTorch layout (weight [out, in]). Its weight is
 * prunable; the mask is not applied here but kept exact by the optimiser
 * (masked gradient, weights stored with zeros), so forward costs the same
 * masked or not.
 */
export function denseParams(name: string, inFeatures: number, outFeatures: number, position: LayerPosition): ParamSpec[] {
  return [
    {
      name: `${name}.weight`,
      shape: [outFeatures, inFeatures],
      role: 'weight',
      prunable: true,
      position,
      init: (rng) => pytorchDefaultUniform(outFeatures * inFeatures, inFeatures, rng),
    },
    {
      name: `${name}.bias`,
      shape: [outFeatures],
      role: 'bias',
      prunable: false,
      position,
      init: (rng) => pytorchDefaultUniform(outFeatures, inFeatures, rng),
    },
  ];
}

/** y = x·Wᵀ + b for x [batch, in], W [out, in]. */
export function dense(x: tf.Tensor2D, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(x, weight as tf.Tensor2D, false, true), bias);
}
