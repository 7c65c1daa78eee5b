import { DatasetFormatError } from './format-error';

/**
 * Image datasets as they come from their files: raw bytes, not yet scaled or
 * normalised, so they stay four times smaller than floats and can be cached and
 * augmented before normalisation.
 */
export interface ImageSplit {
  /** `count × height × width × channels` bytes, row-major, channels last (HWC). */
  readonly images: Uint8Array;
  /** Class indices in [0, numClasses). */
  readonly labels: Int32Array;
  readonly count: number;
}

/**
 * How an import was cut down to fit the browser (TinyImageNet's import form),
 * kept with the cached dataset so the lab can say what it trains on.
 */
export interface ImportChoices {
  /** 1 keeps the published resolution; 2 halves each side by block averaging. */
  readonly downsample: number;
  /** Training images kept per class (the first by file number); null for all. */
  readonly trainPerClass: number | null;
  /** Test images kept per class; null for all. */
  readonly testPerClass: number | null;
}

export interface ImageDataset {
  readonly id: string;
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  readonly train: ImageSplit;
  readonly test: ImageSplit;
  /** Present when the import kept only part of the published dataset. */
  readonly choices?: ImportChoices;
}

export function imageSize(dataset: Pick<ImageDataset, 'height' | 'width' | 'channels'>): number {
  return dataset.height * dataset.width * dataset.channels;
}

/** Bytes held by the pixel and label arrays of both splits. */
export function datasetByteSize(dataset: ImageDataset): number {
  const split = (s: ImageSplit) => s.images.byteLength + s.labels.byteLength;
  return split(dataset.train) + split(dataset.test);
}

function checkSplit(dataset: ImageDataset, which: 'train' | 'test'): void {
  const split = dataset[which];
  const where = `${dataset.name}, ${which} split`;
  if (!Number.isInteger(split.count) || split.count < 0) {
    throw new DatasetFormatError(`${where}: the image count ${split.count} is not a whole number.`);
  }
  const expected = split.count * imageSize(dataset);
  if (split.images.length !== expected) {
    throw new DatasetFormatError(
      `${where}: expected ${expected} pixel bytes for ${split.count} images of ` +
        `${dataset.height}×${dataset.width}×${dataset.channels}, found ${split.images.length}.`,
    );
  }
  if (split.labels.length !== split.count) {
    throw new DatasetFormatError(`${where}: ${split.count} images but ${split.labels.length} labels.`);
  }
  for (let i = 0; i < split.count; i++) {
    const label = split.labels[i]!;
    if (!(label >= 0 && label < dataset.numClasses)) {
      throw new DatasetFormatError(
        `${where}: label ${label} of image ${i} is out of range (the dataset has ${dataset.numClasses} classes, 0–${dataset.numClasses - 1}).`,
      );
    }
  }
}

/** Throws a DatasetFormatError naming the first inconsistency; returns the dataset otherwise. */
export function validateImageDataset(dataset: ImageDataset): ImageDataset {
  const dims = {
    height: dataset.height,
    width: dataset.width,
    channels: dataset.channels,
    numClasses: dataset.numClasses,
  };
  for (const [key, value] of Object.entries(dims)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new DatasetFormatError(`${dataset.name}: ${key} must be a positive whole number, got ${value}.`);
    }
  }
  if (dataset.classNames.length !== dataset.numClasses) {
    throw new DatasetFormatError(
      `${dataset.name}: ${dataset.numClasses} classes but ${dataset.classNames.length} class names.`,
    );
  }
  checkSplit(dataset, 'train');
  checkSplit(dataset, 'test');
  return dataset;
}
