import * as tf from '@tensorflow/tfjs';

/** A stride-1 forward convolution: `tf.conv2d` or `tf.depthwiseConv2d`. */
export type Convolution = (
  image: tf.Tensor4D,
  filter: tf.Tensor4D,
  pad: [[number, number], [number, number], [number, number], [number, number]],
  dilations: [number, number],
) => tf.Tensor4D;

export const denseConvolution: Convolution = (image, filter, pad, dilations) =>
  tf.conv2d(image, filter, 1, pad, 'NHWC', dilations);

export const depthwiseConvolution: Convolution = (image, filter, pad, dilations) =>
  tf.depthwiseConv2d(image, filter, 1, pad, 'NHWC', dilations);

export interface ConvolutionWindow {
  /** Rows of zeros above the image; negative means the first rows are skipped. */
  readonly padTop: number;
  readonly padLeft: number;
  readonly dilations: [number, number];
  readonly outHeight: number;
  readonly outWidth: number;
}

/**
 * Runs a stride-1 convolution whose output row r reads image rows
 * r − padTop + dilation·p (likewise for columns), for exactly outHeight ×
 * outWidth outputs. Both backward passes reduce to this, but their implied
 * padding can be negative (the forward pass ignored trailing rows, or padded
 * more than the filter spans), which no backend accepts: negative padding is
 * replaced by zero and the surplus output rows are cut off instead.
 */
export function convolveToSize(
  image: tf.Tensor4D,
  filter: tf.Tensor4D,
  window: ConvolutionWindow,
  convolve: Convolution,
): tf.Tensor4D {
  const [, imageHeight, imageWidth] = image.shape;
  const [filterHeight, filterWidth] = filter.shape;
  const [dilationHeight, dilationWidth] = window.dilations;
  const spanHeight = (filterHeight - 1) * dilationHeight + 1;
  const spanWidth = (filterWidth - 1) * dilationWidth + 1;
  const padBottom = window.outHeight - 1 + spanHeight - imageHeight - window.padTop;
  const padRight = window.outWidth - 1 + spanWidth - imageWidth - window.padLeft;
  const top = Math.max(0, window.padTop);
  const left = Math.max(0, window.padLeft);
  const result = convolve(
    image,
    filter,
    [
      [0, 0],
      [top, Math.max(0, padBottom)],
      [left, Math.max(0, padRight)],
      [0, 0],
    ],
    window.dilations,
  );
  const [batch, height, width, channels] = result.shape;
  const skipRows = top - window.padTop;
  const skipColumns = left - window.padLeft;
  if (skipRows === 0 && skipColumns === 0 && height === window.outHeight && width === window.outWidth) return result;
  return tf.slice(result, [0, skipRows, skipColumns, 0], [batch, window.outHeight, window.outWidth, channels]);
}
