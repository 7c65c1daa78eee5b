import * as tf from '@tensorflow/tfjs';
import { density, maskedIndices, maskSetOf, type MaskMethod } from './context';
import { freshBuffers, scoringContext } from './scoring';
import { selectByScore } from './select';

/** Density after iteration k of n on the way to `finalDensity`: d^(k/n), SynFlow's exponential schedule. */
export function synflowDensity(finalDensity: number, k: number, n: number): number {
  return finalDensity ** (k / n);
}

/**
 * SynFlow (Tanaka et al. 2020), data-free: every parameter replaced by its
 * absolute value, BatchNorm in eval mode on fresh statistics (the official
 * default; the reference leaves train mode, see the spec), one all-ones input,
 * R = Σ f(1), score |θ ⊙ ∂R/∂θ| with θ the currently kept weights; pruned
 * gradually over `synflowIters` iterations to d^(k/n). A weight pruned in an
 * earlier iteration never comes back (its score is out of the contest).
 */
export const synflowMask: MaskMethod = async ({ network, experiment, initialValues, dataset, report, checkpoint }) => {
  const indices = maskedIndices(network, experiment);
  const iterations = experiment.synflowIters;
  let masks: Uint8Array[] = indices.map((i) => new Uint8Array(initialValues[i]!.length).fill(1));
  const absolute = network.params.map((param, i) => tf.tensor(initialValues[i]!.map(Math.abs), param.shape as number[]));
  const buffers = freshBuffers(network).map((b) => tf.abs(b));
  try {
    for (let k = 1; k <= iterations; k++) {
      const maskTensors = masks.map((m, j) => tf.tensor(Float32Array.from(m), network.params[indices[j]!]!.shape as number[]));
      const scoreTensors = tf.tidy(() => {
        const kept = indices.map((index, j) => tf.mul(absolute[index]!, maskTensors[j]!));
        const ones = tf.ones([1, ...dataset.inputShape]);
        const flow = (...scored: tf.Tensor[]) => {
          const all = [...absolute];
          indices.forEach((index, j) => (all[index] = scored[j]!));
          return tf.sum(network.forward(ones, scoringContext(all, buffers, 'eval'))) as tf.Scalar;
        };
        const grads = tf.grads(flow)(kept);
        return grads.map((g, j) => tf.abs(tf.mul(g, kept[j]!)));
      });
      tf.dispose(maskTensors);
      const scores = await Promise.all(scoreTensors.map((t) => t.data() as Promise<Float32Array>));
      tf.dispose(scoreTensors);
      scores.forEach((s, j) => {
        const mask = masks[j]!;
        for (let i = 0; i < s.length; i++) {
          if (!mask[i]) s[i] = -Infinity;
          else if (!Number.isFinite(s[i]!)) throw new Error('SynFlow scores overflowed 32-bit floats on this network; try a smaller width or depth');
        }
      });
      masks = selectByScore(scores, synflowDensity(density(experiment), k, iterations), experiment.maskScope);
      report({ fraction: k / iterations, message: `SynFlow: iteration ${k} of ${iterations}` });
      await checkpoint();
    }
  } finally {
    tf.dispose([...absolute, ...buffers]);
  }
  return { masks: maskSetOf(network.params, indices, masks) };
};
