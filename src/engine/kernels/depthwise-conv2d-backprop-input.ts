import * as tf from '@tensorflow/tfjs';
import type {
  DepthwiseConv2dNativeBackpropInputAttrs,
  DepthwiseConv2dNativeBackpropInputInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import { convolveToSize, depthwiseConvolution } from './convolve-to-size';
import { forwardGeometry } from './forward-geometry';
import { tensorOf } from './tensor-of';
import { zeroInsert } from './zero-insert';

/**
 * As for the dense case, dx is a stride-1 convolution of the zero-inserted dy
 * with the spatially mirrored filter, here a depthwise one: each of the C·m
 * output channels flows back to its own input channel only. With a channel
 * multiplier m > 1, the m channels that came from one input channel are summed.
 */
const depthwiseConv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as DepthwiseConv2dNativeBackpropInputInputs;
  const attributes = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const [batch, inputHeight, inputWidth, channels] = attributes.inputShape;
  return tf.tidy(() => {
    const outputGradient = tensorOf<tf.Rank.R4>(dy as TensorInfo, backend);
    const weights = tensorOf<tf.Rank.R4>(filter as TensorInfo, backend);
    const [filterHeight, filterWidth, , multiplier] = weights.shape;
    const geometry = forwardGeometry(
      tf.DepthwiseConv2dNativeBackpropInput,
      attributes.inputShape,
      weights.shape,
      attributes,
      true,
    );
    const perOutputChannel = convolveToSize(
      zeroInsert(outputGradient, geometry.strideHeight, geometry.strideWidth),
      tf.reshape(tf.reverse(weights, [0, 1]), [filterHeight, filterWidth, channels * multiplier, 1]),
      {
        padTop: filterHeight - 1 - geometry.padTop,
        padLeft: filterWidth - 1 - geometry.padLeft,
        dilations: [1, 1],
        outHeight: inputHeight,
        outWidth: inputWidth,
      },
      depthwiseConvolution,
    );
    if (multiplier === 1) return perOutputChannel;
    return tf.sum(tf.reshape(perOutputChannel, [batch, inputHeight, inputWidth, channels, multiplier]), 4);
  });
};

export const depthwiseConv2dBackpropInputConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput,
};
