import type { ImageDataset, ImageSplit } from './image-dataset';
import { imageSize } from './image-dataset';

/**
 * Validation split held out of the training split by index, never at random,
 * so every run (and every paper that uses the same convention) validates on
 * the same images. The results are views into the original arrays, not copies.
 */
export interface HeldOut {
  readonly train: ImageSplit;
  readonly validation: ImageSplit;
}

/** The usual CIFAR convention: official training images 0–4999 validate, 5000–49999 train. */
export const CIFAR_VALIDATION_COUNT = 5000;

function range(split: ImageSplit, size: number, from: number, to: number): ImageSplit {
  return {
    images: split.images.subarray(from * size, to * size),
    labels: split.labels.subarray(from, to),
    count: to - from,
  };
}

/** The first `validationCount` training images become the validation split, the rest stay for training. */
export function holdOutFirst(dataset: ImageDataset, validationCount: number): HeldOut {
  const { train } = dataset;
  if (!Number.isInteger(validationCount) || validationCount < 0 || validationCount >= train.count) {
    throw new RangeError(`Cannot hold out ${validationCount} of ${train.count} training images.`);
  }
  const size = imageSize(dataset);
  return {
    validation: range(train, size, 0, validationCount),
    train: range(train, size, validationCount, train.count),
  };
}

export function cifarValidationSplit(dataset: ImageDataset): HeldOut {
  return holdOutFirst(dataset, CIFAR_VALIDATION_COUNT);
}
