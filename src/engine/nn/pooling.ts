import * as tf from '@tensorflow/tfjs';

/** k×k max pooling with stride k and no padding (PyTorch's MaxPool2d(k)). */
export function maxPool(x: tf.Tensor4D, kernel: number): tf.Tensor4D {
  return tf.maxPool(x, kernel, kernel, 'valid');
}

/** Mean over the spatial axes: [N, H, W, C] → [N, C] (AdaptiveAvgPool2d(1) + flatten). */
export function globalAveragePool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]) as tf.Tensor2D;
}

export function flatten(x: tf.Tensor): tf.Tensor2D {
  return tf.reshape(x, [x.shape[0]!, -1]) as tf.Tensor2D;
}
