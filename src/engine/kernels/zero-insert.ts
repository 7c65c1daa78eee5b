import * as tf from '@tensorflow/tfjs';

/**
 * Follows every pixel of an NHWC tensor by `strideHeight − 1` zero rows and
 * `strideWidth − 1` zero columns: the inverse of striding, which turns the
 * transpose of a strided convolution into a stride-1 one. The trailing zeros
 * after the last pixel are kept; to a convolution they are only extra padding.
 */
export function zeroInsert(image: tf.Tensor4D, strideHeight: number, strideWidth: number): tf.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return image;
  const [batch, height, width, channels] = image.shape;
  const spaced = tf.pad(tf.reshape(image, [batch, height, 1, width, 1, channels]), [
    [0, 0],
    [0, 0],
    [0, strideHeight - 1],
    [0, 0],
    [0, strideWidth - 1],
    [0, 0],
  ]);
  return tf.reshape(spaced, [batch, height * strideHeight, width * strideWidth, channels]);
}
