import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, Conv2DBackpropInputInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { assertChannelsLast } from './channels-last';
import { convolveToSize, denseConvolution } from './convolve-to-size';
import { forwardGeometry, type ForwardGeometry } from './forward-geometry';
import { tensorOf } from './tensor-of';
import { zeroInsert } from './zero-insert';

/**
 * dx is a stride-1 forward convolution of dy, once dy is spread back to the
 * input's resolution (zeros between pixels for the stride) and the filter is
 * mirrored in space with its in and out channels swapped: the window that
 * gathered x[a] into some y now gathers every y that x[a] fed.
 */
function spreadInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, geometry: ForwardGeometry, inputHeight: number, inputWidth: number): tf.Tensor4D {
  const [filterHeight, filterWidth] = filter.shape;
  return convolveToSize(
    zeroInsert(dy, geometry.strideHeight, geometry.strideWidth),
    tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]),
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

const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as Conv2DBackpropInputInputs;
  const attributes = attrs as unknown as Conv2DBackpropInputAttrs;
  assertChannelsLast(tf.Conv2DBackpropInput, attributes.dataFormat);
  const [, inputHeight, inputWidth] = attributes.inputShape;
  return tf.tidy(() => {
    const outputGradient = tensorOf<tf.Rank.R4>(dy as TensorInfo, backend);
    const weights = tensorOf<tf.Rank.R4>(filter as TensorInfo, backend);
    const geometry = forwardGeometry(tf.Conv2DBackpropInput, attributes.inputShape, weights.shape, attributes, false);
    const strided = geometry.strideHeight > 1 && geometry.strideHeight === geometry.strideWidth;
    return (strided ? subPixelInputGradient : spreadInputGradient)(outputGradient, weights, geometry, inputHeight, inputWidth);
  });
};

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
