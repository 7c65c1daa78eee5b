import type * as tf from '@tensorflow/tfjs';
import * as ops from '@tensorflow/tfjs';
import { batchNorm } from '../nn/batch-norm';
import type { NetworkBuilder } from '../nn/builder';
import { conv2d, type ConvInit } from '../nn/conv';
import { ghostBranch, withGhost } from '../tost/ghost-skip';
import type { ForwardContext } from './network';

export type Block = (x: tf.Tensor4D, context: ForwardContext) => tf.Tensor4D;

export interface BlockOptions {
  init: ConvInit;
  /** Module name of the projection shortcut: `downsample` (oresnet) or `shortcut` (ResNet-18). */
  shortcutName: 'downsample' | 'shortcut';
  /** Declare ToST ghost skip branches. */
  ghostSkips: boolean;
}

/** 1×1 conv + BN when the shape changes (option B), identity otherwise. */
function projection(builder: NetworkBuilder, name: string, inChannels: number, outChannels: number, stride: number, options: BlockOptions): Block | null {
  if (stride === 1 && inChannels === outChannels) return null;
  const conv = conv2d(builder, `${name}.${options.shortcutName}.0`, { inChannels, outChannels, kernel: 1, stride, padding: 0, init: options.init });
  const bn = batchNorm(builder, `${name}.${options.shortcutName}.1`, outChannels);
  return (x, context) => bn(conv(x, context), context) as tf.Tensor4D;
}

/**
 * conv3×3(stride) → BN → act → conv3×3 → BN → (+ shortcut) → act. With ghost
 * skips, the reference code's two dense 1×1 branches: J1 from the block input
 * to BN1's output, J2 from the first activation to BN2's output, both before
 * their activation.
 */
export function basicBlock(builder: NetworkBuilder, name: string, inChannels: number, planes: number, stride: number, options: BlockOptions): Block {
  const conv1 = conv2d(builder, `${name}.conv1`, { inChannels, outChannels: planes, kernel: 3, stride, padding: 1, init: options.init });
  const bn1 = batchNorm(builder, `${name}.bn1`, planes);
  const conv2 = conv2d(builder, `${name}.conv2`, { inChannels: planes, outChannels: planes, kernel: 3, stride: 1, padding: 1, init: options.init });
  const bn2 = batchNorm(builder, `${name}.bn2`, planes);
  const shortcut = projection(builder, name, inChannels, planes, stride, options);
  const jump1 = ghostBranch(builder, options.ghostSkips, `${name}.jump1`, inChannels, planes, stride);
  const jump2 = ghostBranch(builder, options.ghostSkips, `${name}.jump2`, planes, planes, 1);
  return (x, context) => {
    const h = context.activation(withGhost(bn1(conv1(x, context), context) as tf.Tensor4D, jump1, x, context)) as tf.Tensor4D;
    const y = withGhost(bn2(conv2(h, context), context) as tf.Tensor4D, jump2, h, context);
    return context.activation(ops.add(y, shortcut ? shortcut(x, context) : x)) as tf.Tensor4D;
  };
}

export const BOTTLENECK_EXPANSION = 4;

/**
 * conv1×1 → BN → act → conv3×3(stride) → BN → act → conv1×1 (×4) → BN → (+ shortcut) → act.
 * Ghost skips (not in the reference, which leaves Bottlenecks alone): one dense
 * 1×1 branch beside the 3×3 conv only; a 1×1 branch beside a 1×1 conv would add
 * nothing a dense 1×1 path does not already have.
 */
export function bottleneckBlock(builder: NetworkBuilder, name: string, inChannels: number, planes: number, stride: number, options: BlockOptions): Block {
  const out = planes * BOTTLENECK_EXPANSION;
  const conv1 = conv2d(builder, `${name}.conv1`, { inChannels, outChannels: planes, kernel: 1, padding: 0, init: options.init });
  const bn1 = batchNorm(builder, `${name}.bn1`, planes);
  const conv2 = conv2d(builder, `${name}.conv2`, { inChannels: planes, outChannels: planes, kernel: 3, stride, padding: 1, init: options.init });
  const bn2 = batchNorm(builder, `${name}.bn2`, planes);
  const conv3 = conv2d(builder, `${name}.conv3`, { inChannels: planes, outChannels: out, kernel: 1, padding: 0, init: options.init });
  const bn3 = batchNorm(builder, `${name}.bn3`, out);
  const shortcut = projection(builder, name, inChannels, out, stride, options);
  const jump = ghostBranch(builder, options.ghostSkips, `${name}.jump2`, planes, planes, stride);
  return (x, context) => {
    const h1 = context.activation(bn1(conv1(x, context), context)) as tf.Tensor4D;
    const h = context.activation(withGhost(bn2(conv2(h1, context), context) as tf.Tensor4D, jump, h1, context)) as tf.Tensor4D;
    const y = bn3(conv3(h, context), context);
    return context.activation(ops.add(y, shortcut ? shortcut(x, context) : x)) as tf.Tensor4D;
  };
}
