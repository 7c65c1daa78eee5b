import * as tf from '@tensorflow/tfjs';
import { makeBatch, type Dataset, type HostBatch } from '../data/dataset';
import type { ForwardContext, Network, NormMode } from '../models/network';
import { relu } from '../nn/activations';
import { softTargetCrossEntropy } from '../train/loss';
import { Rng } from '../train/rng';

/**
 * Shared pieces of the data-driven scorers (Taylor, SNIP, GraSP).
 *
 * Conventions: scores are computed on the initial weights the runs start
 * from; BatchNorm uses batch statistics (the reference scores in train mode)
 * without touching running statistics; the loss is PyTorch's mean
 * cross-entropy per batch and gradients are summed over the batches, as the
 * reference pruner loops do.
 */

/** Samples per class in the pruning set (official SynFlow's `--prune-dataset-ratio 10`). */
export const PRUNING_SAMPLES_PER_CLASS = 10;
/** Batch size of the pruning loader (official SynFlow's). */
export const PRUNING_BATCH = 256;

/**
 * The pruning set: the first `perClass` training examples of every class in a
 * seeded order (fewer when a class has fewer), without augmentation, in batches.
 */
export function pruningBatches(dataset: Dataset, seed: number, perClass = PRUNING_SAMPLES_PER_CLASS): HostBatch[] {
  const order = Rng.stream(seed, 'mask/data').permutation(dataset.train.count);
  const taken = new Array<number>(dataset.numClasses).fill(0);
  const chosen: number[] = [];
  for (const index of order) {
    const label = dataset.train.y[index]!;
    if (taken[label]! < perClass) {
      taken[label]! += 1;
      chosen.push(index);
    }
  }
  chosen.sort((a, b) => a - b);
  const batches: HostBatch[] = [];
  for (let start = 0; start < chosen.length; start += PRUNING_BATCH) {
    const indices = chosen.slice(start, start + PRUNING_BATCH);
    batches.push(makeBatch(dataset, dataset.train, indices, null));
  }
  return batches;
}

/** Fresh BatchNorm buffers (running mean 0, variance 1) for a scoring pass. */
export function freshBuffers(network: Network): tf.Tensor[] {
  return network.buffers.map((buffer) => tf.fill(buffer.shape as number[], buffer.initialValue));
}

export function scoringContext(params: readonly tf.Tensor[], buffers: readonly tf.Tensor[], normMode: NormMode = 'batch-stats'): ForwardContext {
  return { activation: relu, normMode, params, buffers, ghostScale: 0 };
}

export function batchTensors(batch: HostBatch, inputShape: readonly number[]): { x: tf.Tensor; labels: tf.Tensor1D } {
  return { x: tf.tensor(batch.x, [batch.y.length, ...inputShape]), labels: tf.tensor1d(batch.y, 'int32') };
}

/** Mean cross-entropy of logits divided by `temperature` (GraSP uses 200). */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, numClasses: number, temperature = 1): tf.Scalar {
  const scaled = temperature === 1 ? logits : tf.div(logits, temperature);
  return softTargetCrossEntropy(scaled as tf.Tensor2D, tf.oneHot(labels, numClasses).toFloat() as tf.Tensor2D);
}

export interface GradientOptions {
  readonly temperature?: number;
}

/**
 * Σ over the batches of ∂L_b/∂θ for the parameters at `indices`, every other
 * parameter held fixed at `params`. Returns new tensors the caller disposes.
 */
export function summedGradients(
  network: Network,
  params: readonly tf.Tensor[],
  indices: readonly number[],
  batches: readonly HostBatch[],
  inputShape: readonly number[],
  numClasses: number,
  options: GradientOptions = {},
): tf.Tensor[] {
  return tf.tidy(() => {
    const buffers = freshBuffers(network);
    let sums: tf.Tensor[] | null = null;
    for (const batch of batches) {
      const { x, labels } = batchTensors(batch, inputShape);
      const loss = (...scored: tf.Tensor[]) => {
        const all = [...params];
        indices.forEach((index, k) => (all[index] = scored[k]!));
        return crossEntropy(network.forward(x, scoringContext(all, buffers)), labels, numClasses, options.temperature);
      };
      const grads = tf.grads(loss)(indices.map((i) => params[i]!));
      sums = sums ? sums.map((sum, k) => tf.add(sum, grads[k]!)) : grads;
    }
    return sums ?? indices.map((i) => tf.zerosLike(params[i]!));
  });
}

/** Host copies of tensors' values (and disposes the tensors). */
export async function download(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  const values = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([...tensors]);
  return values;
}

/** Parameter tensors from host values (the caller disposes them). */
export function paramTensors(network: Network, values: readonly Float32Array[]): tf.Tensor[] {
  return network.params.map((param, i) => tf.tensor(values[i]!, param.shape as number[]));
}

/** Values with the masked entries zeroed, for the parameters that have a mask. */
export function applyMasks(values: readonly Float32Array[], masks: ReadonlyMap<number, Uint8Array>): Float32Array[] {
  return values.map((v, i) => {
    const mask = masks.get(i);
    return mask ? v.map((w, j) => (mask[j] ? w : 0)) : v;
  });
}
