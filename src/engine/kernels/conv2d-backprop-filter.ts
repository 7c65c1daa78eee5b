import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, Conv2DBackpropFilterInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { assertChannelsLast } from './channels-last';
import { convolveToSize, denseConvolution } from './convolve-to-size';
import { forwardGeometry } from './forward-geometry';
import { wasmMemory } from './host-memory';
import { tensorOf } from './tensor-of';
import { relaxedGemm, relaxedGemmPolicy, type Shape4D } from './wasm-gemm/relaxed-gemm';

/**
 * dW[p, q, i, o] = Σ_{n, r, c} x[n, r·s − top + p, c·s − left + q, i] · dy[n, r, c, o]
 * is itself a convolution once the batch is moved into the channels: the
 * image is x as [i, H, W, n], the filter is dy as [r, c, n, o] dilated by the
 * stride, and the output is dW as [i, p, q, o]. That runs on the backend's
 * fast (XNNPACK) forward convolution instead of a hand-written loop.
 * Where the engine has relaxed SIMD, the sum is taken directly instead: im2col of x as the forward pass reads it, times dy,
 * block by block on the lab's product, which saves transposing x and dW.
 */
type Shape4DMutable = [number, number, number, number];

const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as Conv2DBackpropFilterInputs;
  const attributes = attrs as unknown as Conv2DBackpropFilterAttrs;
  assertChannelsLast(tf.Conv2DBackpropFilter, attributes.dataFormat);
  const [filterHeight, filterWidth] = attributes.filterShape;
  const image = x as TensorInfo;
  const gradientInfo = dy as TensorInfo;
  const [batch, outHeight, outWidth, outChannels] = gradientInfo.shape;
  const taps = filterHeight * filterWidth * image.shape[3]!;
  const float = image.dtype === 'float32' && gradientInfo.dtype === 'float32';
  const gemm = float && batch! * outHeight! * outWidth! * taps * outChannels! >= relaxedGemmPolicy.minWork ? relaxedGemm() : null;
  if (gemm !== null) {
    // Directly: im2col of x (as the forward pass reads it) times dy, summed over pixels, nothing transposed.
    const geometry = forwardGeometry(tf.Conv2DBackpropFilter, image.shape as Shape4DMutable, attributes.filterShape, attributes, false);
    const memory = wasmMemory(backend);
    const output = memory.allocate(attributes.filterShape);
    gemm.filterGradient(
      memory.view(image),
      image.shape as unknown as Shape4D,
      memory.view(gradientInfo),
      attributes.filterShape,
      { ...geometry, dilationHeight: 1, dilationWidth: 1, outHeight: outHeight!, outWidth: outWidth! },
      memory.view(output),
    );
    return output;
  }
  return tf.tidy(() => {
    const input = tensorOf<tf.Rank.R4>(x as TensorInfo, backend);
    const outputGradient = tensorOf<tf.Rank.R4>(dy as TensorInfo, backend);
    const geometry = forwardGeometry(tf.Conv2DBackpropFilter, input.shape, attributes.filterShape, attributes, false);
    const gradient = convolveToSize(
      tf.transpose(input, [3, 1, 2, 0]),
      tf.transpose(outputGradient, [1, 2, 0, 3]),
      {
        padTop: geometry.padTop,
        padLeft: geometry.padLeft,
        dilations: [geometry.strideHeight, geometry.strideWidth],
        outHeight: filterHeight,
        outWidth: filterWidth,
      },
      denseConvolution,
    );
    return tf.transpose(gradient, [1, 2, 0, 3]);
  });
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
