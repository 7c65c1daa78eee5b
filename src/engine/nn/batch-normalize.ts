import * as tf from '@tensorflow/tfjs';
import { batchNormReady, batchNormTrainBackward, batchNormTrainForward } from '../kernels/batch-norm-train';

export interface BatchNormalized {
  /** γ·(x − mean)/√(variance + ε) + β. */
  readonly output: tf.Tensor;
  /**
   * The batch mean and biased variance per channel when asked for, else null.
   * They are computed inside the gradient's scope, which would free them, so
   * they come out kept: the caller disposes them.
   */
  readonly mean: tf.Tensor1D | null;
  readonly variance: tf.Tensor1D | null;
}

/**
 * BatchNorm over every axis but the last, with batch statistics, and the
 * closed-form gradient PyTorch's CPU kernel uses:
 *   dβ = Σ dy,  dγ = invstd · Σ (x − mean)·dy,
 *   dx = (dy − Σ dy / N − (x − mean) · Σ (x − mean)·dy · invstd² / N) · invstd · γ.
 * Differentiating the forward ops instead costs twice the passes over the
 * activations, and tfjs's mean gradient builds an all-ones tensor the size of
 * x in JavaScript on every call, the single largest cost of a WASM ResNet step.
 * On WASM the same formulas run as two fused kernels (kernels/batch-norm-train.ts).
 */
export function batchNormalize(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number, withStatistics: boolean): BatchNormalized {
  if (batchNormReady(x)) return fusedBatchNormalize(x, gamma, beta, epsilon, withStatistics);
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const count = x.size / x.shape[x.rank - 1]!;
  let mean: tf.Tensor1D | null = null;
  let variance: tf.Tensor1D | null = null;
  const normalize = tf.customGrad((input, scale, shift, save) => {
    const batchMean = tf.mean(input as tf.Tensor, axes) as tf.Tensor1D;
    const centered = tf.sub(input as tf.Tensor, batchMean);
    const batchVariance = tf.mean(tf.square(centered), axes) as tf.Tensor1D;
    const invStd = tf.rsqrt(tf.add(batchVariance, epsilon));
    const output = tf.add(tf.mul(centered, tf.mul(invStd, scale as tf.Tensor)), shift as tf.Tensor);
    (save as tf.GradSaveFunc)([centered, invStd, scale as tf.Tensor]);
    if (withStatistics) {
      mean = tf.keep(batchMean);
      variance = tf.keep(batchVariance);
    }
    return {
      value: output,
      gradFunc: (dy: tf.Tensor, [savedCentered, savedInvStd, savedScale]: tf.Tensor[]) => {
        const sumDy = tf.sum(dy, axes);
        const dotProduct = tf.sum(tf.mul(savedCentered!, dy), axes);
        const k = tf.div(tf.mul(dotProduct, tf.square(savedInvStd!)), count);
        const dx = tf.mul(tf.sub(tf.sub(dy, tf.div(sumDy, count)), tf.mul(savedCentered!, k)), tf.mul(savedInvStd!, savedScale!));
        return [dx, tf.mul(dotProduct, savedInvStd!), sumDy];
      },
    };
  });
  const output = normalize(x, gamma, beta);
  return { output, mean, variance };
}

function fusedBatchNormalize(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number, withStatistics: boolean): BatchNormalized {
  let mean: tf.Tensor1D | null = null;
  let variance: tf.Tensor1D | null = null;
  const normalize = tf.customGrad((input, scale, shift, save) => {
    const [output, batchMean, batchVariance] = batchNormTrainForward(input as tf.Tensor, scale as tf.Tensor1D, shift as tf.Tensor1D, epsilon);
    (save as tf.GradSaveFunc)([input as tf.Tensor, batchMean, batchVariance, scale as tf.Tensor]);
    if (withStatistics) {
      // Clones share the data; the caller may dispose them while the gradient still needs the saved originals.
      mean = tf.keep(tf.clone(batchMean));
      variance = tf.keep(tf.clone(batchVariance));
    }
    return {
      value: output,
      gradFunc: (dy: tf.Tensor, [savedInput, savedMean, savedVariance, savedScale]: tf.Tensor[]) =>
        batchNormTrainBackward(dy, savedInput!, savedMean as tf.Tensor1D, savedVariance as tf.Tensor1D, savedScale as tf.Tensor1D, epsilon),
    };
  });
  const output = normalize(x, gamma, beta);
  return { output, mean, variance };
}
