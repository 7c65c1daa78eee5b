import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, MaxPoolGradInputs, TensorInfo } from '@tensorflow/tfjs';
import type { KernelWrapper } from './kernel-wrapper';
import { tensorOf } from './tensor-of';

/** A k×k pool with stride k and no padding: windows tile the image, each pixel in at most one. */
function tilingWindow(input: TensorInfo, attrs: MaxPoolGradAttrs): number | null {
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const k = info.filterHeight;
  const tiles = info.filterWidth === k && info.strideHeight === k && info.strideWidth === k;
  const unpadded = info.padInfo.top === 0 && info.padInfo.left === 0 && info.outHeight * k <= info.inHeight && info.outWidth * k <= info.inWidth;
  return tiles && unpadded && info.outHeight > 0 && info.outWidth > 0 ? k : null;
}

/**
 * The stock WASM MaxPoolGrad is a scalar loop, the slowest kernel of a
 * LeNet-5 step, and wrong when a window's maximum is ≤ 0: it then sends the
 * gradient to the window's first pixel (a ghost activation's negative outputs
 * reach such windows; after a ReLU the error is masked). When the windows tile the image (MaxPool2d(k), as every pool
 * in the lab), each window's gradient goes to its first maximum in row-major
 * order, as in tfjs's CPU kernel and PyTorch: the windows become rows, ArgMax
 * (which keeps the first of tied maxima) picks the position, and a one-hot row
 * scaled by dy puts the gradient there. Other pools go to the stock kernel.
 */
function wrap(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { dy, input } = args.inputs as MaxPoolGradInputs;
    const k = tilingWindow(input as TensorInfo, args.attrs as unknown as MaxPoolGradAttrs);
    if (k === null) return stock.kernelFunc(args);
    return tf.tidy(() => {
      const x = tensorOf<tf.Rank.R4>(input as TensorInfo, args.backend);
      const gradient = tensorOf<tf.Rank.R4>(dy as TensorInfo, args.backend);
      const [batch, height, width, channels] = x.shape;
      const [, outHeight, outWidth] = gradient.shape;
      if (k === 1) return tf.clone(gradient);
      const covered = outHeight * k === height && outWidth * k === width ? x : tf.slice(x, [0, 0, 0, 0], [batch, outHeight * k, outWidth * k, channels]);
      // [n·oh, dh, ow, dw, c] → [n·oh, ow, c, dh, dw]: one row of k² values per window.
      const windows = tf.reshape(tf.transpose(tf.reshape(covered, [batch * outHeight, k, outWidth, k, channels]), [0, 2, 4, 1, 3]), [-1, k * k]);
      // OneHot on wasm writes int32 bits whatever dtype it is asked for: cast instead.
      const routed = tf.mul(tf.cast(tf.oneHot(tf.argMax(windows, 1), k * k), 'float32'), tf.reshape(gradient, [-1, 1]));
      const spread = tf.reshape(tf.transpose(tf.reshape(routed, [batch * outHeight, outWidth, channels, k, k]), [0, 3, 1, 4, 2]), [batch, outHeight * k, outWidth * k, channels]);
      if (spread.shape[1] === height && spread.shape[2] === width) return spread;
      return tf.pad(spread, [[0, 0], [0, height - outHeight * k], [0, width - outWidth * k], [0, 0]]);
    });
  };
  return { ...stock, kernelFunc };
}

export const maxPoolGradWrapper: KernelWrapper = { kernelName: tf.MaxPoolGrad, backendName: 'wasm', wrap };
