import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, Conv2DBackpropInputInputs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { assertChannelsLast } from './channels-last';
import { convolveToSize, denseConvolution } from './convolve-to-size';
import { forwardGeometry, type ForwardGeometry } from './forward-geometry';
import { wasmMemory } from './host-memory';
import { tensorOf } from './tensor-of';
import { relaxedGemm, relaxedGemmPolicy, type Shape4D } from './wasm-gemm/relaxed-gemm';
import { zeroInsert } from './zero-insert';

/**
 * dx is a stride-1 forward convolution of dy, once dy is spread back to the
 * input's resolution (zeros between pixels for the stride) and the filter is
 * mirrored in space with its in and out channels swapped: the window that
 * gathered x[a] into some y now gathers every y that x[a] fed.
 */
function spreadInputGradient(dy: tf.Tensor4D, mirrored: tf.Tensor4D, geometry: ForwardGeometry, inputHeight: number, inputWidth: number): tf.Tensor4D {
  const [filterHeight, filterWidth] = mirrored.shape;
  return convolveToSize(
    zeroInsert(dy, geometry.strideHeight, geometry.strideWidth),
    mirrored,
    {
      padTop: filterHeight - 1 - geometry.padTop,
      padLeft: filterWidth - 1 - geometry.padLeft,
      dilations: [1, 1],
      outHeight: inputHeight,
      outWidth: inputWidth,
    },
    denseConvolution,
  );
}

/**
 * With stride s, most of the spread dy above is zeros: each input pixel a
 * (shifted by the top padding, b = a + padTop) meets only the filter taps
 * p ≡ b (mod s), namely dx[b] = Σ_j dy[⌊b/s⌋ − j] · w[b mod s + s·j]. So
 * every phase φ = b mod s is an ordinary convolution of dy, unspread, with the
 * sub-filter w[φ + s·j] (j < ⌈k/s⌉, zero past the filter's end). One
 * convolution computes all s² phases as s² blocks of output channels, which
 * then interleave back into pixels (DepthToSpace): s² fewer products than
 * convolving the spread dy (2.25× fewer for 3×3 at stride 2).
 */
function subPixelInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, geometry: ForwardGeometry, inputHeight: number, inputWidth: number): tf.Tensor4D {
  const s = geometry.strideHeight;
  const [filterHeight, filterWidth, inChannels, outChannels] = filter.shape;
  const tapsHeight = Math.ceil(filterHeight / s);
  const tapsWidth = Math.ceil(filterWidth / s);
  // [s·J, s·J, in, out] → [j_h, φ_h, j_w, φ_w, in, out]; mirror j (the
  // convolution reads dy[u − j] as a correlation does dy[u − J + 1 + q]), and
  // move the phases into the output channels, in DepthToSpace's order.
  const padded = tf.pad(filter, [[0, s * tapsHeight - filterHeight], [0, s * tapsWidth - filterWidth], [0, 0], [0, 0]]);
  const phases = tf.reverse(tf.reshape(padded, [tapsHeight, s, tapsWidth, s, inChannels, outChannels]), [0, 2]);
  const subFilters = tf.reshape(tf.transpose(phases, [0, 2, 5, 1, 3, 4]), [tapsHeight, tapsWidth, outChannels, s * s * inChannels]) as tf.Tensor4D;
  const rows = Math.ceil((geometry.padTop + inputHeight) / s);
  const columns = Math.ceil((geometry.padLeft + inputWidth) / s);
  const byPhase = convolveToSize(dy, subFilters, { padTop: tapsHeight - 1, padLeft: tapsWidth - 1, dilations: [1, 1], outHeight: rows, outWidth: columns }, denseConvolution);
  // DepthToSpace, as a reshape and transpose: the stock WASM kernel is a scalar loop, slower than the convolution.
  const [batch] = dy.shape;
  const [height, width] = [s * rows, s * columns];
  const interleaved = tf.reshape(tf.transpose(tf.reshape(byPhase, [batch * rows, columns, s, s * inChannels]), [0, 2, 1, 3]), [batch, height, width, inChannels]) as tf.Tensor4D;
  if (geometry.padTop === 0 && geometry.padLeft === 0 && height === inputHeight && width === inputWidth) return interleaved;
  return tf.slice(interleaved, [0, geometry.padTop, geometry.padLeft, 0], [batch, inputHeight, inputWidth, inChannels]);
}

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

/**
 * The filter mirrored in space with its in and out channels swapped, as
 * spreadInputGradient convolves with: one loop over the heap, where tfjs's
 * WASM Reverse (a scalar loop per element) and a Transpose took ~0.5 ms for a
 * 3×3×64×64 filter, ~1% of a ResNet-20 step.
 */
function mirroredFilter(filter: TensorInfo, backend: unknown): tf.Tensor4D {
  const [height, width, inChannels, outChannels] = filter.shape as [number, number, number, number];
  const memory = wasmMemory(backend);
  const info = memory.allocate([height, width, outChannels, inChannels]);
  const [source, target] = [memory.view(filter), memory.view(info)];
  for (let ky = 0; ky < height; ky++) {
    for (let kx = 0; kx < width; kx++) {
      const from = ((height - 1 - ky) * width + (width - 1 - kx)) * inChannels * outChannels;
      const to = (ky * width + kx) * outChannels * inChannels;
      for (let i = 0; i < inChannels; i++) for (let o = 0; o < outChannels; o++) target[to + o * inChannels + i] = source[from + i * outChannels + o]!;
    }
  }
  // The tensor owns the new data: disposing it frees it.
  return tf.engine().makeTensorFromTensorInfo(info, backend as KernelBackend) as tf.Tensor4D;
}

/**
 * Multiply-adds of the lab's product (its output columns rounded to whole
 * panels of 8) for dx as col2im of dy·Wᵀ, and for dx as the convolutions
 * above. The convolutions also multiply the zeros of dy's padding: for
 * LeNet-5's second layer (5×5, unpadded, on 14×14) about half of their work,
 * and at stride 2 the phases' sub-filters are partly zeros too. Where the
 * padding is thin (3×3 at stride 1) both do the same work, and the
 * convolution is 5–10% faster (im2col copies where col2im adds).
 */
function col2imWork(inputShape: Shape4D, filterShape: Shape4D, outputShape: Shape4D, geometry: ForwardGeometry): { col2im: number; convolution: number } {
  const [batch, height, width, inChannels] = inputShape;
  const [filterHeight, filterWidth, , outChannels] = filterShape;
  const [, outHeight, outWidth] = outputShape;
  const col2im = batch * outHeight * outWidth * outChannels * roundUp(filterHeight * filterWidth * inChannels, 8);
  const s = geometry.strideHeight;
  if (s === 1 && geometry.strideWidth === 1) return { col2im, convolution: batch * height * width * filterHeight * filterWidth * outChannels * roundUp(inChannels, 8) };
  if (s !== geometry.strideWidth) return { col2im, convolution: Infinity };
  const phasePixels = batch * Math.ceil((geometry.padTop + height) / s) * Math.ceil((geometry.padLeft + width) / s);
  return { col2im, convolution: phasePixels * Math.ceil(filterHeight / s) * Math.ceil(filterWidth / s) * outChannels * roundUp(s * s * inChannels, 8) };
}

const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as Conv2DBackpropInputInputs;
  const attributes = attrs as unknown as Conv2DBackpropInputAttrs;
  assertChannelsLast(tf.Conv2DBackpropInput, attributes.dataFormat);
  const [, inputHeight, inputWidth] = attributes.inputShape;
  const [gradientInfo, filterInfo] = [dy as TensorInfo, filter as TensorInfo];
  const geometry = forwardGeometry(tf.Conv2DBackpropInput, attributes.inputShape, filterInfo.shape as [number, number, number, number], attributes, false);
  if (gradientInfo.dtype === 'float32' && filterInfo.dtype === 'float32') {
    const inputShape = attributes.inputShape as unknown as Shape4D;
    const filterShape = filterInfo.shape as unknown as Shape4D;
    const outputShape = gradientInfo.shape as unknown as Shape4D;
    const work = col2imWork(inputShape, filterShape, outputShape, geometry);
    const gemm = work.col2im >= relaxedGemmPolicy.minWork && work.col2im < relaxedGemmPolicy.col2imShare * work.convolution ? relaxedGemm() : null;
    if (gemm !== null) {
      const memory = wasmMemory(backend);
      const output = memory.allocate(inputShape);
      gemm.inputGradient(
        memory.view(gradientInfo),
        memory.view(filterInfo),
        filterShape,
        inputShape,
        {
          strideHeight: geometry.strideHeight,
          strideWidth: geometry.strideWidth,
          padTop: geometry.padTop,
          padLeft: geometry.padLeft,
          dilationHeight: 1,
          dilationWidth: 1,
          outHeight: outputShape[1],
          outWidth: outputShape[2],
        },
        memory.view(output),
      );
      return output;
    }
  }
  return tf.tidy(() => {
    const outputGradient = tensorOf<tf.Rank.R4>(dy as TensorInfo, backend);
    const weights = tensorOf<tf.Rank.R4>(filter as TensorInfo, backend);
    const strided = geometry.strideHeight > 1 && geometry.strideHeight === geometry.strideWidth;
    if (strided) return subPixelInputGradient(outputGradient, weights, geometry, inputHeight, inputWidth);
    const mirrored = filterInfo.dtype === 'float32' ? mirroredFilter(filterInfo, backend) : tf.transpose(tf.reverse(weights, [0, 1]), [0, 1, 3, 2]);
    return spreadInputGradient(outputGradient, mirrored, geometry, inputHeight, inputWidth);
  });
};

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
