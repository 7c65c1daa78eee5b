import * as tf from '@tensorflow/tfjs';
import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropFilterInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import { convolveToSize, depthwiseConvolution } from './convolve-to-size';
import { forwardGeometry } from './forward-geometry';
import { tensorOf } from './tensor-of';

/**
 * dW[p, q, c, k] = Σ_{n, r, s} x[n, r·σ − top + p, s·σ − left + q, c] · dy[n, r, s, c·m + k]
 * correlates each input channel with its own output channels only. Moving
 * the batch into the channels (image x as [1, H, W, n·C], filter dy as
 * [r, s, n·C, m] dilated by the stride) makes it one depthwise convolution
 * with no wasted channel pairs; the batch is summed out afterwards.
 */
const depthwiseConv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as DepthwiseConv2dNativeBackpropFilterInputs;
  const attributes = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const [filterHeight, filterWidth, channels, multiplier] = attributes.filterShape;
  return tf.tidy(() => {
    const input = tensorOf<tf.Rank.R4>(x as TensorInfo, backend);
    const outputGradient = tensorOf<tf.Rank.R4>(dy as TensorInfo, backend);
    const [batch, inputHeight, inputWidth] = input.shape;
    const [, outputHeight, outputWidth] = outputGradient.shape;
    const geometry = forwardGeometry(
      tf.DepthwiseConv2dNativeBackpropFilter,
      input.shape,
      attributes.filterShape,
      attributes,
      true,
    );
    const perExample = convolveToSize(
      tf.reshape(tf.transpose(input, [1, 2, 0, 3]), [1, inputHeight, inputWidth, batch * channels]),
      tf.reshape(tf.transpose(outputGradient, [1, 2, 0, 3]), [outputHeight, outputWidth, batch * channels, multiplier]),
      {
        padTop: geometry.padTop,
        padLeft: geometry.padLeft,
        dilations: [geometry.strideHeight, geometry.strideWidth],
        outHeight: filterHeight,
        outWidth: filterWidth,
      },
      depthwiseConvolution,
    );
    return tf.sum(tf.reshape(perExample, [filterHeight, filterWidth, batch, channels, multiplier]), 2);
  });
};

export const depthwiseConv2dBackpropFilterConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilter,
};
