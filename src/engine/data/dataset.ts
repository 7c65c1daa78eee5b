import { augmentBatch, type AugmentOptions, type RandomSource } from './augment';
import { normalizeBatch, type Normalization } from './normalize';

/**
 * In-memory datasets as flat typed arrays. Examples stay on the host side and
 * are gathered into tensors one batch at a time, so both recipes of a paired
 * run can be fed the very same batch.
 */
export interface Split {
  /** Row-major features, `count × featureSize`: floats, or raw image bytes (HWC) normalised per batch. */
  readonly x: Float32Array | Uint8Array;
  /** Class indices in [0, numClasses). */
  readonly y: Int32Array;
  readonly count: number;
}

export interface Dataset {
  readonly id: string;
  /** Shape of one example, e.g. [2] for 2-D points or [28, 28, 1] for MNIST. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly train: Split;
  /** Held out from training to select the best epoch; null when the dataset has none. */
  readonly validation: Split | null;
  readonly test: Split;
  /** For byte images: per-channel normalisation, and the training augmentation (null for none). */
  readonly pixels?: { readonly normalization: Normalization; readonly augment: AugmentOptions | null };
}

export function featureSize(dataset: Pick<Dataset, 'inputShape'>): number {
  return dataset.inputShape.reduce((a, b) => a * b, 1);
}

/** Examples on the host, ready for the model: float features (augmented and normalised) and class indices. */
export interface HostBatch {
  readonly x: Float32Array;
  readonly y: Int32Array;
}

/**
 * The rows `indices` of a split as model input: float features as they are;
 * byte images augmented (when `augmentRng` is given and the dataset augments)
 * and normalised, so images stay 1 byte per value in memory.
 */
export function makeBatch(
  dataset: Dataset,
  split: Split,
  indices: ArrayLike<number>,
  augmentRng: RandomSource | null,
): HostBatch {
  const size = featureSize(dataset);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) y[i] = split.y[indices[i]!]!;
  if (split.x instanceof Float32Array) {
    const x = new Float32Array(indices.length * size);
    for (let i = 0; i < indices.length; i++) x.set(split.x.subarray(indices[i]! * size, (indices[i]! + 1) * size), i * size);
    return { x, y };
  }
  let bytes: Uint8Array = new Uint8Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) bytes.set(split.x.subarray(indices[i]! * size, (indices[i]! + 1) * size), i * size);
  const [height, width, channels] = dataset.inputShape as [number, number, number];
  const pixels = dataset.pixels;
  if (!pixels) throw new Error(`${dataset.id}: byte images need a normalisation`);
  if (augmentRng && pixels.augment) bytes = augmentBatch(bytes, indices.length, height, width, channels, augmentRng, pixels.augment);
  return { x: normalizeBatch(bytes, indices.length, height, width, channels, pixels.normalization.mean, pixels.normalization.std), y };
}

/** Share of the most frequent class: the accuracy of always guessing it. */
export function chanceAccuracy(split: Split, numClasses: number): number {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < split.count; i++) counts[split.y[i]!]! += 1;
  return split.count === 0 ? 0 : Math.max(...counts) / split.count;
}
