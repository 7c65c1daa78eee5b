/**
 * In-memory datasets as flat typed arrays. Examples stay on the host side and
 * are gathered into tensors one batch at a time, so both recipes of a paired
 * run can be fed the very same batch.
 */
export interface Split {
  /** Row-major features, `count × featureSize`. */
  readonly x: Float32Array;
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
}

export function featureSize(dataset: Pick<Dataset, 'inputShape'>): number {
  return dataset.inputShape.reduce((a, b) => a * b, 1);
}

/** Copies the rows `indices` of a split into fresh arrays (one batch). */
export function gatherRows(split: Split, size: number, indices: ArrayLike<number>): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(indices.length * size);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i]!;
    x.set(split.x.subarray(row * size, (row + 1) * size), i * size);
    y[i] = split.y[row]!;
  }
  return { x, y };
}

/** Share of the most frequent class: the accuracy of always guessing it. */
export function chanceAccuracy(split: Split, numClasses: number): number {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < split.count; i++) counts[split.y[i]!]! += 1;
  return split.count === 0 ? 0 : Math.max(...counts) / split.count;
}
