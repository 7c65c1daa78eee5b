import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, Conv2DBackpropInputInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { assertChannelsLast } from './channels-last';
import { convolveToSize, denseConvolution } from './convolve-to-size';
import { forwardGeometry } from './forward-geometry';
import { tensorOf } from './tensor-of';
import { zeroInsert } from './zero-insert';

/**
 * dx is a stride-1 forward convolution of dy, once dy is spread back to the
 * input's resolution (zeros between pixels for the stride) and the filter is
 * mirrored in space with its in and out channels swapped: the window that
 * gathered x[a] into some y now gathers every y that x[a] fed.
 */
const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as Conv2DBackpropInputInputs;
  const attributes = attrs as unknown as Conv2DBackpropInputAttrs;
  assertChannelsLast(tf.Conv2DBackpropInput, attributes.dataFormat);
  const [, inputHeight, inputWidth] = attributes.inputShape;
  return tf.tidy(() => {
    const outputGradient = tensorOf<tf.Rank.R4>(dy as TensorInfo, backend);
    const weights = tensorOf<tf.Rank.R4>(filter as TensorInfo, backend);
    const [filterHeight, filterWidth] = weights.shape;
    const geometry = forwardGeometry(tf.Conv2DBackpropInput, attributes.inputShape, weights.shape, attributes, false);
    return convolveToSize(
      zeroInsert(outputGradient, geometry.strideHeight, geometry.strideWidth),
      tf.transpose(tf.reverse(weights, [0, 1]), [0, 1, 3, 2]),
      {
        padTop: filterHeight - 1 - geometry.padTop,
        padLeft: filterWidth - 1 - geometry.padLeft,
        dilations: [1, 1],
        outHeight: inputHeight,
        outWidth: inputWidth,
      },
      denseConvolution,
    );
  });
};

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
