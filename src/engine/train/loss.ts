import * as tf from '@tensorflow/tfjs';

/** Mean over the batch of −Σₖ qₖ·log softmax(z)ₖ; with one-hot q this is PyTorch's cross-entropy. */
export function softTargetCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar);
}
