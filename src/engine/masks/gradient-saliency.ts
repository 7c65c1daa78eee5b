import * as tf from '@tensorflow/tfjs';
import type { MaskInputs } from './context';
import { maskedIndices } from './context';
import { download, paramTensors, pruningBatches, summedGradients } from './scoring';

/**
 * |θ ⊙ Σ_b ∂L_b/∂θ| for the masked tensors, on the pruning set: the gradients
 * are summed over the batches before the absolute value, as the reference's
 * Taylor1ScorerAbs and SNIP do.
 */
export async function gradientSaliency(inputs: MaskInputs): Promise<{ indices: number[]; scores: Float32Array[] }> {
  const { network, experiment, initialValues, dataset } = inputs;
  const indices = maskedIndices(network, experiment);
  const batches = pruningBatches(dataset, experiment.seed);
  inputs.report({ fraction: 0, message: `Scoring on ${batches.reduce((n, b) => n + b.y.length, 0)} training examples` });
  const params = paramTensors(network, initialValues);
  const grads = summedGradients(network, params, indices, batches, dataset.inputShape, dataset.numClasses);
  const products = tf.tidy(() => grads.map((g, k) => tf.abs(tf.mul(params[indices[k]!]!, g))));
  tf.dispose([...params, ...grads]);
  return { indices, scores: await download(products) };
}
