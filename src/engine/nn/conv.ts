import * as tf from '@tensorflow/tfjs';
import type { ForwardContext, LayerPosition } from '../models/network';
import type { Rng } from '../train/rng';
import { filled, type NetworkBuilder } from './builder';
import { heNormalFanOut, pytorchDefaultUniform } from './init';

export type ConvInit = 'pytorch-default' | 'he-normal-fan-out';

export interface ConvOptions {
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride?: number;
  /** Symmetric zero padding on every side, as PyTorch's `padding=`; defaults to kernel/2 rounded down. */
  padding?: number;
  bias?: boolean;
  init?: ConvInit;
  position?: LayerPosition;
  /** Depthwise: one k×k filter per channel (inChannels = outChannels, groups = channels). */
  depthwise?: boolean;
}

export type ConvLayer = (x: tf.Tensor4D, context: ForwardContext) => tf.Tensor4D;

/**
 * 2-D convolution, NHWC, with PyTorch's symmetric padding. TF's "same" pads
 * only bottom/right for stride 2 on even sizes, which shifts every output
 * by half a pixel; an explicit symmetric pad matches PyTorch exactly.
 */
export function conv2d(builder: NetworkBuilder, name: string, options: ConvOptions): ConvLayer {
  const { inChannels, outChannels, kernel, stride = 1, bias = false, init = 'pytorch-default', position = 'hidden', depthwise = false } = options;
  const padding = options.padding ?? Math.floor(kernel / 2);
  if (depthwise && inChannels !== outChannels) throw new Error(`${name}: depthwise convolution needs equal in and out channels`);
  const shape = depthwise ? [kernel, kernel, inChannels, 1] : [kernel, kernel, inChannels, outChannels];
  const size = shape.reduce((a, b) => a * b, 1);
  // PyTorch's fans for a grouped conv count one group: depthwise has fan-in k², fan-out k².
  const fanIn = (depthwise ? 1 : inChannels) * kernel * kernel;
  const fanOut = (depthwise ? 1 : outChannels) * kernel * kernel;
  const draw = (rng: Rng) => (init === 'he-normal-fan-out' ? heNormalFanOut(size, fanOut, rng) : pytorchDefaultUniform(size, fanIn, rng));
  const weight = builder.addParam({ name: `${name}.weight`, shape, role: 'weight', prunable: true, position, init: draw });
  const biasIndex = bias
    ? builder.addParam({
        name: `${name}.bias`,
        shape: [outChannels],
        role: 'bias',
        prunable: false,
        position,
        init: init === 'he-normal-fan-out' ? () => filled(outChannels, 0) : (rng) => pytorchDefaultUniform(outChannels, fanIn, rng),
      })
    : -1;

  return (x, context) => {
    const filter = context.params[weight] as tf.Tensor4D;
    let y = depthwise ? tf.depthwiseConv2d(x, filter, stride, padding) : tf.conv2d(x, filter, stride, padding);
    if (biasIndex >= 0) y = tf.add(y, context.params[biasIndex]!);
    return y;
  };
}

/** Output size of a conv or pool along one axis, PyTorch's floor rule. */
export function convOutputSize(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}
