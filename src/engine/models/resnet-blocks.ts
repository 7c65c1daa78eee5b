import type * as tf from '@tensorflow/tfjs';
import * as ops from '@tensorflow/tfjs';
import { batchNorm } from '../nn/batch-norm';
import type { NetworkBuilder } from '../nn/builder';
import { conv2d, type ConvInit } from '../nn/conv';
import type { ForwardContext } from './network';

export type Block = (x: tf.Tensor4D, context: ForwardContext) => tf.Tensor4D;

export interface BlockOptions {
  init: ConvInit;
  /** Module name of the projection shortcut: `downsample` (oresnet) or `shortcut` (ResNet-18). */
  shortcutName: 'downsample' | 'shortcut';
}

/** 1×1 conv + BN when the shape changes (option B), identity otherwise. */
function projection(builder: NetworkBuilder, name: string, inChannels: number, outChannels: number, stride: number, options: BlockOptions): Block | null {
  if (stride === 1 && inChannels === outChannels) return null;
  const conv = conv2d(builder, `${name}.${options.shortcutName}.0`, { inChannels, outChannels, kernel: 1, stride, padding: 0, init: options.init });
  const bn = batchNorm(builder, `${name}.${options.shortcutName}.1`, outChannels);
  return (x, context) => bn(conv(x, context), context) as tf.Tensor4D;
}

/** conv3×3(stride) → BN → act → conv3×3 → BN → (+ shortcut) → act. */
export function basicBlock(builder: NetworkBuilder, name: string, inChannels: number, planes: number, stride: number, options: BlockOptions): Block {
  const conv1 = conv2d(builder, `${name}.conv1`, { inChannels, outChannels: planes, kernel: 3, stride, padding: 1, init: options.init });
  const bn1 = batchNorm(builder, `${name}.bn1`, planes);
  const conv2 = conv2d(builder, `${name}.conv2`, { inChannels: planes, outChannels: planes, kernel: 3, stride: 1, padding: 1, init: options.init });
  const bn2 = batchNorm(builder, `${name}.bn2`, planes);
  const shortcut = projection(builder, name, inChannels, planes, stride, options);
  return (x, context) => {
    const h = context.activation(bn1(conv1(x, context), context)) as tf.Tensor4D;
    const y = bn2(conv2(h, context), context);
    return context.activation(ops.add(y, shortcut ? shortcut(x, context) : x)) as tf.Tensor4D;
  };
}

export const BOTTLENECK_EXPANSION = 4;

/** conv1×1 → BN → act → conv3×3(stride) → BN → act → conv1×1 (×4) → BN → (+ shortcut) → act. */
export function bottleneckBlock(builder: NetworkBuilder, name: string, inChannels: number, planes: number, stride: number, options: BlockOptions): Block {
  const out = planes * BOTTLENECK_EXPANSION;
  const conv1 = conv2d(builder, `${name}.conv1`, { inChannels, outChannels: planes, kernel: 1, padding: 0, init: options.init });
  const bn1 = batchNorm(builder, `${name}.bn1`, planes);
  const conv2 = conv2d(builder, `${name}.conv2`, { inChannels: planes, outChannels: planes, kernel: 3, stride, padding: 1, init: options.init });
  const bn2 = batchNorm(builder, `${name}.bn2`, planes);
  const conv3 = conv2d(builder, `${name}.conv3`, { inChannels: planes, outChannels: out, kernel: 1, padding: 0, init: options.init });
  const bn3 = batchNorm(builder, `${name}.bn3`, out);
  const shortcut = projection(builder, name, inChannels, out, stride, options);
  return (x, context) => {
    let h = context.activation(bn1(conv1(x, context), context)) as tf.Tensor4D;
    h = context.activation(bn2(conv2(h, context), context)) as tf.Tensor4D;
    const y = bn3(conv3(h, context), context);
    return context.activation(ops.add(y, shortcut ? shortcut(x, context) : x)) as tf.Tensor4D;
  };
}
