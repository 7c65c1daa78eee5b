import * as tf from '@tensorflow/tfjs';

/**
 * 'others': the reference code's variant — true class 1 − α, every other class α/(C − 1).
 * 'uniform': the common variant — (1 − α)·one-hot + α/C, so the true class gets 1 − α + α/C.
 */
export type SmoothingConvention = 'others' | 'uniform';

export interface LabelSmoothing {
  readonly alpha: number;
  readonly convention: SmoothingConvention;
}

/** Target distribution [batch, classes] for integer labels. */
export function smoothedTargets(labels: tf.Tensor1D, numClasses: number, smoothing: LabelSmoothing | null): tf.Tensor2D {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labels, numClasses).toFloat() as tf.Tensor2D;
    if (!smoothing || smoothing.alpha === 0) return oneHot;
    const { alpha, convention } = smoothing;
    const onValue = convention === 'others' ? 1 - alpha : 1 - alpha + alpha / numClasses;
    const offValue = convention === 'others' ? alpha / (numClasses - 1) : alpha / numClasses;
    return tf.add(tf.mul(oneHot, onValue - offValue), offValue) as tf.Tensor2D;
  });
}
