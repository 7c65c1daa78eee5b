import * as tf from '@tensorflow/tfjs';
import type { Conv2DAttrs, Conv2DInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wasmMemory } from './host-memory';
import type { KernelWrapper } from './kernel-wrapper';
import { relaxedGemm, relaxedGemmPolicy, type Gemm, type Shape4D } from './wasm-gemm/relaxed-gemm';

/**
 * Convolutions on the lab's relaxed-SIMD product (im2col, then the product)
 * where the engine has relaxed SIMD; the stock XNNPACK convolution otherwise,
 * and for NCHW and tiny convolutions (relaxedGemmPolicy). The backward passes on WASM are forward
 * convolutions too (conv2d-backprop-*.ts), so they run on it as well.
 */
export function wrapConv2D(stock: KernelConfig, gemm: () => Gemm | null): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, filter } = args.inputs as Conv2DInputs;
    const attrs = args.attrs as unknown as Conv2DAttrs;
    const image = x as TensorInfo;
    const weights = filter as TensorInfo;
    if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || image.dtype !== 'float32' || weights.dtype !== 'float32') return stock.kernelFunc(args);
    const imageShape = image.shape as unknown as Shape4D;
    const filterShape = weights.shape as unknown as Shape4D;
    const info = tf.backend_util.computeConv2DInfo(
      [...imageShape],
      [...filterShape],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const work = info.batchSize * info.outHeight * info.outWidth * info.outChannels * filterShape[0] * filterShape[1] * filterShape[2];
    const product = work >= relaxedGemmPolicy.minWork ? gemm() : null;
    if (product === null) return stock.kernelFunc(args);
    const memory = wasmMemory(args.backend);
    const output = memory.allocate(info.outShape);
    product.convolve(
      memory.view(image),
      imageShape,
      memory.view(weights),
      filterShape,
      {
        strideHeight: info.strideHeight,
        strideWidth: info.strideWidth,
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
        dilationHeight: info.dilationHeight,
        dilationWidth: info.dilationWidth,
        outHeight: info.outHeight,
        outWidth: info.outWidth,
      },
      memory.view(output),
    );
    return output;
  };
  return { ...stock, kernelFunc };
}

export const conv2dWrapper: KernelWrapper = { kernelName: tf.Conv2D, backendName: 'wasm', wrap: (stock) => wrapConv2D(stock, relaxedGemm) };
