import * as tf from '@tensorflow/tfjs';
import { density, maskedIndices, maskSetOf, type MaskMethod } from './context';
import { hessianVectorProduct } from '../train/hessian-vector';
import { download, paramTensors, pruningBatches, summedGradients } from './scoring';
import { selectByScore } from './select';

/** Logits are divided by this before the loss, as in GraSP and the reference. */
export const GRASP_TEMPERATURE = 200;

/**
 * GraSP (Wang et al. 2020), as the reference pruner computes it: with
 * ḡ = Σ_b ∇L_b (logits / 200) and H the Hessian of Σ_b L_b, the score is
 * s = θ ⊙ Hḡ divided by |Σ s| + 1e-10, signed; the largest scores are kept
 * (GraSP's "remove the largest −θ⊙Hg"). θ, ḡ and H range over the masked tensors.
 */
export async function graspScores(inputs: Parameters<MaskMethod>[0]): Promise<{ indices: number[]; scores: Float32Array[] }> {
  const { network, experiment, initialValues, dataset } = inputs;
  const indices = maskedIndices(network, experiment);
  const batches = pruningBatches(dataset, experiment.seed);
  inputs.report({ fraction: 0, message: `GraSP: gradient on ${batches.reduce((n, b) => n + b.y.length, 0)} training examples` });
  const params = paramTensors(network, initialValues);
  const gradientAt = (scored: readonly tf.Tensor[]) => {
    const all = [...params];
    indices.forEach((index, k) => (all[index] = scored[k]!));
    return summedGradients(network, all, indices, batches, dataset.inputShape, dataset.numClasses, { temperature: GRASP_TEMPERATURE });
  };
  const theta = indices.map((i) => params[i]!);
  const gBar = gradientAt(theta);
  await inputs.checkpoint();
  inputs.report({ fraction: 0.5, message: 'GraSP: Hessian-gradient product' });
  const hg = tf.tidy(() => hessianVectorProduct(gradientAt, theta, gBar));
  const scores = tf.tidy(() => {
    const raw = hg.map((h, k) => tf.mul(theta[k]!, h));
    const total = tf.abs(tf.addN(raw.map((s) => tf.sum(s))));
    return raw.map((s) => tf.div(s, tf.add(total, 1e-10)));
  });
  tf.dispose([...params, ...gBar, ...hg]);
  return { indices, scores: await download(scores) };
}

export const graspMask: MaskMethod = async (inputs) => {
  const { indices, scores } = await graspScores(inputs);
  const { network, experiment } = inputs;
  return { masks: maskSetOf(network.params, indices, selectByScore(scores, density(experiment), experiment.maskScope)) };
};
