import { DatasetFormatError } from '../format-error';
import { validateImageDataset, type ImageDataset } from '../image-dataset';
import type { ProgressCallback } from '../progress';
import { gunzip, isGzip } from './gzip';
import type { NamedFile } from './named-file';

/**
 * The IDX format of MNIST and Fashion-MNIST: a 4-byte magic (two zero bytes,
 * the element type, the number of dimensions), the dimensions as big-endian
 * uint32, then the elements. Files may be gzipped, as they are distributed.
 */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = {
  0x09: 'signed bytes',
  0x0b: '16-bit integers',
  0x0c: '32-bit integers',
  0x0d: '32-bit floats',
  0x0e: '64-bit floats',
};

export function parseIdx(file: Uint8Array, fileName: string, onProgress?: ProgressCallback): IdxArray {
  const bytes = isGzip(file) ? gunzip(file, { fileName, onProgress }) : file;
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetFormatError(`${fileName} is not an IDX file (MNIST format): its header is wrong.`);
  }
  const type = bytes[2]!;
  const rank = bytes[3]!;
  if (type !== 0x08) {
    const what = TYPE_NAMES[type];
    throw new DatasetFormatError(
      what
        ? `${fileName} holds ${what}; only IDX files of unsigned bytes (images and labels) are supported.`
        : `${fileName} is not an IDX file (MNIST format): unknown element type ${type}.`,
    );
  }
  const headerLength = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerLength) {
    throw new DatasetFormatError(`${fileName} is truncated: its IDX header is incomplete.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const length = dims.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerLength;
  if (available < length) {
    throw new DatasetFormatError(
      `${fileName} is truncated: its header announces ${dims.join('×')} values but only ${available} bytes follow.`,
    );
  }
  if (available > length) {
    throw new DatasetFormatError(
      `${fileName} is not a valid IDX file: ${available - length} bytes too many after the data.`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

export interface IdxImages {
  readonly images: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
}

export function parseIdxImages(file: Uint8Array, fileName: string, onProgress?: ProgressCallback): IdxImages {
  const { dims, data } = parseIdx(file, fileName, onProgress);
  if (dims.length !== 3) {
    throw new DatasetFormatError(
      `${fileName} does not hold images: expected 3 dimensions (count, height, width), found ${dims.length}` +
        (dims.length === 1 ? ' (is it a labels file?).' : '.'),
    );
  }
  const [count, height, width] = dims as [number, number, number];
  return { images: data, count, height, width };
}

export function parseIdxLabels(file: Uint8Array, fileName: string, numClasses: number): Int32Array {
  const { dims, data } = parseIdx(file, fileName);
  if (dims.length !== 1) {
    throw new DatasetFormatError(
      `${fileName} does not hold labels: expected 1 dimension, found ${dims.length}` +
        (dims.length === 3 ? ' (is it an images file?).' : '.'),
    );
  }
  const labels = Int32Array.from(data);
  const bad = labels.findIndex((label) => label >= numClasses);
  if (bad >= 0) {
    throw new DatasetFormatError(
      `${fileName}: label ${labels[bad]} of item ${bad} is out of range (expected 0–${numClasses - 1}).`,
    );
  }
  return labels;
}

export interface IdxDatasetFiles {
  readonly trainImages: NamedFile;
  readonly trainLabels: NamedFile;
  readonly testImages: NamedFile;
  readonly testLabels: NamedFile;
}

/** Builds a one-channel ImageDataset from the four IDX files of an MNIST-style dataset. */
export function idxDataset(
  meta: { id: string; name: string; classNames: readonly string[] },
  files: IdxDatasetFiles,
  onProgress?: ProgressCallback,
): ImageDataset {
  const numClasses = meta.classNames.length;
  const split = (images: NamedFile, labels: NamedFile, from: number, to: number) => {
    const parsed = parseIdxImages(images.data, images.name, (f, m) => onProgress?.(from + (to - from) * f, m));
    const parsedLabels = parseIdxLabels(labels.data, labels.name, numClasses);
    if (parsedLabels.length !== parsed.count) {
      throw new DatasetFormatError(
        `${images.name} holds ${parsed.count} images but ${labels.name} holds ${parsedLabels.length} labels: the files do not belong together.`,
      );
    }
    return { parsed, labels: parsedLabels };
  };
  const train = split(files.trainImages, files.trainLabels, 0, 0.85);
  const test = split(files.testImages, files.testLabels, 0.85, 1);
  if (train.parsed.height !== test.parsed.height || train.parsed.width !== test.parsed.width) {
    throw new DatasetFormatError(
      `Wrong image size: ${files.trainImages.name} has ${train.parsed.height}×${train.parsed.width} images but ` +
        `${files.testImages.name} has ${test.parsed.height}×${test.parsed.width}.`,
    );
  }
  onProgress?.(1, `${meta.name} ready`);
  return validateImageDataset({
    id: meta.id,
    name: meta.name,
    height: train.parsed.height,
    width: train.parsed.width,
    channels: 1,
    numClasses,
    classNames: [...meta.classNames],
    train: { images: train.parsed.images, labels: train.labels, count: train.parsed.count },
    test: { images: test.parsed.images, labels: test.labels, count: test.parsed.count },
  });
}
