import * as tf from '@tensorflow/tfjs';
import type { ForwardContext, LayerPosition } from '../models/network';
import { batchNormalize } from './batch-normalize';
import { filled, type NetworkBuilder } from './builder';

/** PyTorch's defaults: running = (1 − momentum)·running + momentum·batch, with momentum 0.1 (Keras' 0.9). */
export const BN_MOMENTUM = 0.1;
export const BN_EPSILON = 1e-5;

export type BatchNormLayer = (x: tf.Tensor, context: ForwardContext) => tf.Tensor;

/**
 * BatchNorm over the last (channel) axis with PyTorch semantics: normalise with
 * the biased batch variance, update the running variance with the unbiased one
 * (× n/(n − 1)). γ starts at 1, β at 0. With batch statistics the gradient
 * is PyTorch's closed form (batch-normalize.ts), from plain ops on every backend.
 */
export function batchNorm(builder: NetworkBuilder, name: string, channels: number, position: LayerPosition = 'hidden', ghost = false): BatchNormLayer {
  const gamma = builder.addParam({ name: `${name}.weight`, shape: [channels], role: 'bn-weight', prunable: false, position, ghost, init: () => filled(channels, 1) });
  const beta = builder.addParam({ name: `${name}.bias`, shape: [channels], role: 'bn-bias', prunable: false, position, ghost, init: () => filled(channels, 0) });
  const runningMean = builder.addBuffer({ name: `${name}.running_mean`, shape: [channels], initialValue: 0 });
  const runningVar = builder.addBuffer({ name: `${name}.running_var`, shape: [channels], initialValue: 1 });

  return (x, context) => {
    const scale = context.params[gamma]! as tf.Tensor1D;
    const shift = context.params[beta]! as tf.Tensor1D;
    if (context.normMode === 'eval') {
      const invStd = tf.rsqrt(tf.add(context.buffers[runningVar]!, BN_EPSILON));
      return tf.add(tf.mul(tf.sub(x, context.buffers[runningMean]!), tf.mul(invStd, scale)), shift);
    }
    const update = context.normMode === 'train' ? context.updateBuffer : undefined;
    const { output, mean, variance } = batchNormalize(x, scale, shift, BN_EPSILON, update !== undefined);
    if (update && mean && variance) {
      const count = x.size / channels;
      const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
      const keep = 1 - BN_MOMENTUM;
      update(runningMean, tf.add(tf.mul(context.buffers[runningMean]!, keep), tf.mul(mean, BN_MOMENTUM)));
      update(runningVar, tf.add(tf.mul(context.buffers[runningVar]!, keep), tf.mul(unbiased, BN_MOMENTUM)));
      tf.dispose([mean, variance]);
    }
    return output;
  };
}
