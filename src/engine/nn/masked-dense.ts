import * as tf from '@tensorflow/tfjs';
import type { ForwardContext, LayerPosition } from '../models/network';
import type { Rng } from '../train/rng';
import { filled, type NetworkBuilder } from './builder';
import { pytorchDefaultUniform } from './init';

export type DenseInit = 'pytorch-default' | 'normal-0.01';

export type DenseLayer = (x: tf.Tensor2D, context: ForwardContext) => tf.Tensor2D;

/**
 * A fully connected layer in PyTorch layout (weight [out, in]). Its weight is
 * prunable; the mask is not applied here but kept exact by the optimiser
 * (masked gradient, weights stored with zeros), so forward costs the same
 * masked or not.
 */
export function dense(
  builder: NetworkBuilder,
  name: string,
  inFeatures: number,
  outFeatures: number,
  options: { position?: LayerPosition; init?: DenseInit } = {},
): DenseLayer {
  const { position = 'hidden', init = 'pytorch-default' } = options;
  const drawWeight = (rng: Rng) => {
    if (init === 'pytorch-default') return pytorchDefaultUniform(outFeatures * inFeatures, inFeatures, rng);
    const values = new Float32Array(outFeatures * inFeatures);
    for (let i = 0; i < values.length; i++) values[i] = 0.01 * rng.normal();
    return values;
  };
  const weight = builder.addParam({ name: `${name}.weight`, shape: [outFeatures, inFeatures], role: 'weight', prunable: true, position, init: drawWeight });
  const bias = builder.addParam({
    name: `${name}.bias`,
    shape: [outFeatures],
    role: 'bias',
    prunable: false,
    position,
    init: init === 'pytorch-default' ? (rng) => pytorchDefaultUniform(outFeatures, inFeatures, rng) : () => filled(outFeatures, 0),
  });
  return (x, context) => tf.add(tf.matMul(x, context.params[weight] as tf.Tensor2D, false, true), context.params[bias]!);
}
