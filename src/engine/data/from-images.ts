import type { AugmentOptions } from './augment';
import type { Dataset, Split } from './dataset';
import type { ImageDataset, ImageSplit } from './image-dataset';
import type { Normalization } from './normalize';
import { holdOutFirst } from './split';

export interface ImageDatasetOptions {
  /** Training images held out (the first ones, by index) to validate; 0 for none. */
  readonly validationCount: number;
  /** Use only the first N remaining training images (0 = all), for classroom speed. */
  readonly trainLimit: number;
  readonly normalization: Normalization;
  readonly augment: AugmentOptions | null;
}

const asSplit = (split: ImageSplit, limit = 0): Split => {
  const count = limit > 0 ? Math.min(limit, split.count) : split.count;
  const size = split.count === 0 ? 0 : split.images.length / split.count;
  return { x: split.images.subarray(0, count * size), y: split.labels.subarray(0, count), count };
};

/** A parsed image dataset as the engine trains on it: byte images, validation held out by index, normalised per batch. */
export function fromImageDataset(image: ImageDataset, options: ImageDatasetOptions): Dataset {
  const held = options.validationCount > 0 ? holdOutFirst(image, options.validationCount) : null;
  return {
    id: image.id,
    inputShape: [image.height, image.width, image.channels],
    numClasses: image.numClasses,
    train: asSplit(held ? held.train : image.train, options.trainLimit),
    validation: held ? asSplit(held.validation) : null,
    test: asSplit(image.test),
    pixels: { normalization: options.normalization, augment: options.augment },
  };
}
