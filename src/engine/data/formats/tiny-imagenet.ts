import { unzipSync, type UnzipFileInfo } from 'fflate';
import { DatasetFormatError } from '../format-error';
import { validateImageDataset, type ImageDataset } from '../image-dataset';
import type { ProgressCallback } from '../progress';
import { downsampleByAveraging } from '../resize';
import { decodeJpeg as decodeJpegDefault, jpegDecoderName, type RgbImage } from './jpeg';
import type { NamedFile } from './named-file';

/**
 * TinyImageNet (tiny-imagenet-200.zip): 200 classes of 64×64 JPEGs, 500 per
 * class for training; the official validation set (50 per class, labels in
 * val_annotations.txt) becomes the test split, since the official test set has
 * no labels.
 */
export interface TinyImageNetOptions {
  /** Keep at most this many training images per class (the first by file number). */
  maxTrainPerClass?: number;
  /** Keep at most this many test (official validation) images per class. */
  maxTestPerClass?: number;
  /** Shrink 64×64 by this factor (2 gives 32×32) by block averaging. */
  downsample?: number;
  /**
   * JPEG decoder; by default the platform's where it has one (a browser or
   * worker), else jpeg-js (Node: about 1 ms per image, minutes for the full set).
   */
  decodeJpeg?: (bytes: Uint8Array, fileName: string) => RgbImage | Promise<RgbImage>;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

const SIDE = 64;
/** Images decompressed per pass over the zip, bounding the compressed bytes held at once. */
const CHUNK = 16000;
/** Images decoded at once: an asynchronous (native) decoder works on several in parallel. */
const IN_FLIGHT = 16;

interface Task {
  path: string;
  split: 'train' | 'test';
  index: number;
  label: number;
}

function listMembers(zip: NamedFile): Map<string, UnzipFileInfo> {
  const members = new Map<string, UnzipFileInfo>();
  try {
    unzipSync(zip.data, {
      filter: (info) => {
        members.set(info.name, info);
        return false;
      },
    });
  } catch (error) {
    throw new DatasetFormatError(
      `${zip.name} is not a zip file or is truncated: its table of contents cannot be found (incomplete download?).`,
      { cause: error },
    );
  }
  return members;
}

function extract(zip: NamedFile, members: Map<string, UnzipFileInfo>, paths: Set<string>): Map<string, Uint8Array> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip.data, { filter: (info) => paths.has(info.name) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DatasetFormatError(`${zip.name} is corrupt or truncated: a member cannot be decompressed (${message}).`, {
      cause: error,
    });
  }
  const out = new Map<string, Uint8Array>();
  for (const path of paths) {
    const data = files[path];
    // A cut-off stored member comes back short rather than failing.
    if (!data || data.length !== members.get(path)?.originalSize) {
      throw new DatasetFormatError(`${zip.name} is corrupt or truncated: ${path} is incomplete.`);
    }
    out.set(path, data);
  }
  return out;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const lines = (bytes: Uint8Array) =>
  text(bytes)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
/** The number in `n01443537_12.JPEG` or `val_12.JPEG`, for a numeric (not lexical) order. */
const fileNumber = (path: string) => Number(/_(\d+)\.jpe?g$/i.exec(path)?.[1] ?? Number.NaN);

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function parseTinyImageNet(zip: NamedFile, options: TinyImageNetOptions = {}): Promise<ImageDataset> {
  const {
    maxTrainPerClass = Infinity,
    maxTestPerClass = Infinity,
    downsample = 1,
    decodeJpeg = decodeJpegDefault,
    onProgress,
    signal,
  } = options;
  for (const [key, value] of Object.entries({ maxTrainPerClass, maxTestPerClass })) {
    if (!(value >= 1) || (Number.isFinite(value) && !Number.isInteger(value))) {
      throw new RangeError(`${key} must be a whole number of at least 1, got ${value}.`);
    }
  }
  if (!Number.isInteger(downsample) || downsample < 1 || SIDE % downsample !== 0) {
    throw new RangeError(`downsample must be a whole number dividing ${SIDE}, got ${downsample}.`);
  }
  onProgress?.(0, `Reading ${zip.name}`);
  const members = listMembers(zip);
  const wnidsPath = [...members.keys()]
    .filter((p) => p === 'wnids.txt' || p.endsWith('/wnids.txt'))
    .sort((a, b) => a.length - b.length)[0];
  if (!wnidsPath) {
    throw new DatasetFormatError(`${zip.name} is missing tiny-imagenet-200/wnids.txt: is it tiny-imagenet-200.zip?`);
  }
  const root = wnidsPath.slice(0, -'wnids.txt'.length);
  const need = (relative: string) => {
    if (!members.has(root + relative)) throw new DatasetFormatError(`${zip.name} is missing ${root}${relative}.`);
    return root + relative;
  };
  const annotationsPath = need('val/val_annotations.txt');
  const wordsPath = members.has(root + 'words.txt') ? root + 'words.txt' : undefined;
  const small = extract(zip, members, new Set([wnidsPath, annotationsPath, ...(wordsPath ? [wordsPath] : [])]));

  // Sorted, as torchvision's ImageFolder does, so labels do not depend on the order of wnids.txt.
  const wnids = [...new Set(lines(small.get(wnidsPath)!))].sort();
  if (wnids.length === 0) throw new DatasetFormatError(`${wnidsPath} lists no classes.`);
  const classOf = new Map(wnids.map((wnid, i) => [wnid, i]));
  const words = new Map<string, string>();
  if (wordsPath) {
    for (const line of lines(small.get(wordsPath)!)) {
      const [wnid, description = ''] = line.split('\t');
      if (wnid && classOf.has(wnid)) words.set(wnid, description.split(',')[0]!.trim());
    }
  }
  const classNames = wnids.map((wnid) => words.get(wnid) || wnid);

  // Training images, per class in file-number order, then interleaved across
  // classes so that any prefix (e.g. a held-out validation split) is balanced.
  const perClass: string[][] = wnids.map(() => []);
  for (const path of members.keys()) {
    if (!path.startsWith(`${root}train/`)) continue;
    const [wnid, folder, file] = path.slice(root.length + 'train/'.length).split('/');
    const label = wnid === undefined ? undefined : classOf.get(wnid);
    if (label !== undefined && folder === 'images' && file && /\.jpe?g$/i.test(file)) perClass[label]!.push(path);
  }
  perClass.forEach((paths, label) => {
    paths.sort((a, b) => fileNumber(a) - fileNumber(b));
    paths.splice(maxTrainPerClass);
    if (paths.length === 0) {
      throw new DatasetFormatError(
        `${zip.name} is missing ${root}train/${wnids[label]}/images/ (no training images for that class).`,
      );
    }
  });
  const tasks: Task[] = [];
  const longest = Math.max(...perClass.map((paths) => paths.length));
  let trainCount = 0;
  for (let k = 0; k < longest; k++) {
    perClass.forEach((paths, label) => {
      if (k < paths.length) tasks.push({ path: paths[k]!, split: 'train', index: trainCount++, label });
    });
  }

  let testCount = 0;
  const testPerClass = new Array<number>(wnids.length).fill(0);
  const annotations = lines(small.get(annotationsPath)!)
    .map((line) => line.split('\t'))
    .sort((a, b) => fileNumber(a[0] ?? '') - fileNumber(b[0] ?? ''));
  for (const [file, wnid] of annotations) {
    const label = wnid === undefined ? undefined : classOf.get(wnid);
    if (label === undefined) {
      throw new DatasetFormatError(
        `${annotationsPath}: ${file} has label ${wnid ?? '(none)'}, which is not one of the ${wnids.length} classes in wnids.txt.`,
      );
    }
    if (testPerClass[label]! >= maxTestPerClass) continue;
    testPerClass[label]! += 1;
    tasks.push({ path: need(`val/images/${file}`), split: 'test', index: testCount++, label });
  }

  const side = SIDE / downsample;
  const imageBytes = side * side * 3;
  // Says which decoder runs, so a slow import on a platform without a native one is explained.
  const decoderNote = options.decodeJpeg ? '' : jpegDecoderName() === 'native' ? " with the browser's decoder" : ' with jpeg-js';
  onProgress?.(0, `Decoding ${tasks.length} images${decoderNote}`);
  const splits = {
    train: { images: new Uint8Array(trainCount * imageBytes), labels: new Int32Array(trainCount), count: trainCount },
    test: { images: new Uint8Array(testCount * imageBytes), labels: new Int32Array(testCount), count: testCount },
  };
  for (let start = 0; start < tasks.length; start += CHUNK) {
    signal?.throwIfAborted();
    const chunk = tasks.slice(start, start + CHUNK);
    const files = extract(zip, members, new Set(chunk.map((task) => task.path)));
    for (let group = 0; group < chunk.length; group += IN_FLIGHT) {
      const tasksInGroup = chunk.slice(group, group + IN_FLIGHT);
      const images = await Promise.all(tasksInGroup.map((task) => decodeJpeg(files.get(task.path)!, task.path)));
      tasksInGroup.forEach((task, k) => {
        const image = images[k]!;
        if (image.width !== SIDE || image.height !== SIDE) {
          throw new DatasetFormatError(
            `Wrong image size: ${task.path} is ${image.width}×${image.height}, expected ${SIDE}×${SIDE}.`,
          );
        }
        if (image.data.length !== SIDE * SIDE * 3) {
          throw new DatasetFormatError(`${task.path} decoded to ${image.data.length} bytes, not ${SIDE}×${SIDE} RGB.`);
        }
        const pixels = downsample === 1 ? image.data : downsampleByAveraging(image.data, 1, SIDE, SIDE, 3, downsample);
        const split = splits[task.split];
        split.images.set(pixels, task.index * imageBytes);
        split.labels[task.index] = task.label;
      });
      const done = start + group + tasksInGroup.length;
      if (Math.floor(done / 500) > Math.floor((done - tasksInGroup.length) / 500)) {
        onProgress?.(done / tasks.length, `Decoding images${decoderNote}: ${done} / ${tasks.length}`);
      }
    }
    await yieldToEventLoop();
  }
  onProgress?.(1, 'TinyImageNet ready');

  // One cache entry whatever the choices (a new import replaces it); the name and the choices say which variant it is.
  const variant: string[] = [];
  if (downsample > 1) variant.push(`${side}×${side}`);
  if (Number.isFinite(maxTrainPerClass)) variant.push(`${maxTrainPerClass} train/class`);
  if (Number.isFinite(maxTestPerClass)) variant.push(`${maxTestPerClass} test/class`);
  return validateImageDataset({
    id: 'tiny-imagenet',
    name: variant.length ? `TinyImageNet (${variant.join(', ')})` : 'TinyImageNet',
    height: side,
    width: side,
    channels: 3,
    numClasses: wnids.length,
    classNames,
    train: splits.train,
    test: splits.test,
    choices: {
      downsample,
      trainPerClass: Number.isFinite(maxTrainPerClass) ? maxTrainPerClass : null,
      testPerClass: Number.isFinite(maxTestPerClass) ? maxTestPerClass : null,
    },
  });
}
