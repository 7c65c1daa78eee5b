import { DatasetFormatError } from '../format-error';
import { validateImageDataset, type ImageDataset, type ImageSplit } from '../image-dataset';
import { subProgress, type ProgressCallback } from '../progress';
import { baseName, type NamedFile } from './named-file';
import { isGzip } from './gzip';
import { readTarMembers } from './tar';

/**
 * CIFAR-10 and CIFAR-100 in their "binary version": fixed-size records of label
 * byte(s) then 3072 pixel bytes, stored as three 32×32 planes (R, G, B). Read
 * from the official .tar.gz or from the extracted .bin files.
 */
export type CifarVariant = 'cifar10' | 'cifar100';

const SIDE = 32;
const PIXELS = SIDE * SIDE;

const CIFAR10_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

// Fine labels, in label order (the official list happens to be alphabetical).
const CIFAR100_NAMES = (
  'apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus butterfly camel can castle ' +
  'caterpillar cattle chair chimpanzee clock cloud cockroach couch crab crocodile cup dinosaur dolphin elephant flatfish ' +
  'forest fox girl hamster house kangaroo keyboard lamp lawn_mower leopard lion lizard lobster man maple_tree motorcycle ' +
  'mountain mouse mushroom oak_tree orange orchid otter palm_tree pear pickup_truck pine_tree plain plate poppy porcupine ' +
  'possum rabbit raccoon ray road rocket rose sea seal shark shrew skunk skyscraper snail snake spider squirrel streetcar ' +
  'sunflower sweet_pepper table tank telephone television tiger tractor train trout tulip turtle wardrobe whale ' +
  'willow_tree wolf woman worm'
).split(' ');

interface Layout {
  name: string;
  archiveName: string;
  folder: string;
  trainFiles: string[];
  testFile: string;
  namesFile: string;
  defaultNames: string[];
  /** Bytes before the pixels; the label used is the last of them (CIFAR-100: coarse, then fine). */
  labelBytes: number;
  /** Range of the label bytes before the used one (CIFAR-100's coarse label has 20 classes). */
  otherLabelClasses: number[];
}

const LAYOUTS: Record<CifarVariant, Layout> = {
  cifar10: {
    name: 'CIFAR-10',
    archiveName: 'cifar-10-binary.tar.gz',
    folder: 'cifar-10-batches-bin',
    trainFiles: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
    testFile: 'test_batch.bin',
    namesFile: 'batches.meta.txt',
    defaultNames: CIFAR10_NAMES,
    labelBytes: 1,
    otherLabelClasses: [],
  },
  cifar100: {
    name: 'CIFAR-100',
    archiveName: 'cifar-100-binary.tar.gz',
    folder: 'cifar-100-binary',
    trainFiles: ['train.bin'],
    testFile: 'test.bin',
    namesFile: 'fine_label_names.txt',
    defaultNames: CIFAR100_NAMES,
    labelBytes: 2,
    otherLabelClasses: [20],
  },
};

function recordSize(layout: Layout): number {
  return layout.labelBytes + 3 * PIXELS;
}

/** Hints for the most likely mix-ups: the other CIFAR, or the Python/Matlab versions. */
function wrongArchiveHint(names: readonly string[], layout: Layout): string {
  const has = (part: string) => names.some((name) => name.includes(part));
  const other = layout === LAYOUTS.cifar10 ? LAYOUTS.cifar100 : LAYOUTS.cifar10;
  if (has(other.folder)) {
    return ` It looks like the ${other.name} archive; choose ${layout.archiveName} for ${layout.name}.`;
  }
  if (has('-py') || has('-python')) {
    return ` It looks like the Python version; ${layout.name} needs the binary version (${layout.archiveName}).`;
  }
  if (has('-mat') || names.some((name) => name.endsWith('.mat'))) {
    return ` It looks like the Matlab version; ${layout.name} needs the binary version (${layout.archiveName}).`;
  }
  return ` Expected ${layout.archiveName}.`;
}

function decodeRecords(file: NamedFile, layout: Layout): ImageSplit {
  const size = recordSize(layout);
  const bytes = file.data;
  if (bytes.length === 0 || bytes.length % size !== 0) {
    throw new DatasetFormatError(
      `${file.name} is truncated or not a ${layout.name} batch: its size (${bytes.length} bytes) is not a whole number of ` +
        `${size}-byte records.`,
    );
  }
  const count = bytes.length / size;
  const images = new Uint8Array(count * 3 * PIXELS);
  const labels = new Int32Array(count);
  const numClasses = layout.defaultNames.length;
  for (let i = 0; i < count; i++) {
    const record = i * size;
    layout.otherLabelClasses.forEach((classes, k) => {
      const value = bytes[record + k]!;
      if (value >= classes) {
        throw new DatasetFormatError(
          `${file.name}: record ${i} has coarse label ${value}, out of range 0–${classes - 1} (is it a ${layout.name} file?).`,
        );
      }
    });
    const label = bytes[record + layout.labelBytes - 1]!;
    if (label >= numClasses) {
      throw new DatasetFormatError(
        `${file.name}: record ${i} has label ${label}, out of range 0–${numClasses - 1} (is it a ${layout.name} file?).`,
      );
    }
    labels[i] = label;
    // Planar CHW on disk to interleaved HWC in memory: pixel p of plane c goes to p*3+c.
    const pixels = record + layout.labelBytes;
    const out = i * 3 * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      images[out + 3 * p] = bytes[pixels + p]!;
      images[out + 3 * p + 1] = bytes[pixels + PIXELS + p]!;
      images[out + 3 * p + 2] = bytes[pixels + 2 * PIXELS + p]!;
    }
  }
  return { images, labels, count };
}

function concatSplits(splits: ImageSplit[]): ImageSplit {
  if (splits.length === 1) return splits[0]!;
  const count = splits.reduce((sum, s) => sum + s.count, 0);
  const images = new Uint8Array(count * 3 * PIXELS);
  const labels = new Int32Array(count);
  let offset = 0;
  for (const split of splits) {
    images.set(split.images, offset * 3 * PIXELS);
    labels.set(split.labels, offset);
    offset += split.count;
  }
  return { images, labels, count };
}

function parseNames(file: NamedFile | undefined, layout: Layout): string[] {
  if (!file) return layout.defaultNames;
  const names = new TextDecoder()
    .decode(file.data)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (names.length !== layout.defaultNames.length) {
    throw new DatasetFormatError(
      `${file.name} lists ${names.length} class names; ${layout.name} has ${layout.defaultNames.length}.`,
    );
  }
  return names;
}

function buildDataset(
  variant: CifarVariant,
  byName: Map<string, NamedFile>,
  source: { name: string; paths: readonly string[] },
  onProgress?: ProgressCallback,
) {
  const layout = LAYOUTS[variant];
  const need = (file: string): NamedFile => {
    const found = byName.get(file);
    if (!found) {
      throw new DatasetFormatError(
        `Missing ${layout.folder}/${file} in ${source.name}.` + wrongArchiveHint(source.paths, layout),
      );
    }
    return found;
  };
  const trainFiles = layout.trainFiles.map(need);
  const testFile = need(layout.testFile);
  const all = [...trainFiles, testFile];
  const decoded = all.map((file, i) => {
    onProgress?.(i / all.length, `Converting ${file.name}`);
    return decodeRecords(file, layout);
  });
  onProgress?.(1, `${layout.name} ready`);
  const dataset: ImageDataset = {
    id: variant,
    name: layout.name,
    height: SIDE,
    width: SIDE,
    channels: 3,
    numClasses: layout.defaultNames.length,
    classNames: parseNames(byName.get(layout.namesFile), layout),
    train: concatSplits(decoded.slice(0, -1)),
    test: decoded[decoded.length - 1]!,
  };
  return validateImageDataset(dataset);
}

function looksLikeArchive(file: NamedFile): boolean {
  const ustar = file.data.length > 262 && new TextDecoder().decode(file.data.subarray(257, 262)) === 'ustar';
  return isGzip(file.data) || ustar;
}

/**
 * Parses CIFAR-10 or CIFAR-100 from either the official binary archive (one
 * .tar.gz or .tar) or the extracted .bin files (plus, optionally, the
 * class-names .txt file).
 */
export async function parseCifar(
  variant: CifarVariant,
  files: readonly NamedFile[],
  onProgress?: ProgressCallback,
): Promise<ImageDataset> {
  const layout = LAYOUTS[variant];
  if (files.length === 0) throw new DatasetFormatError(`No file given: choose ${layout.archiveName}.`);
  const byName = new Map<string, NamedFile>();
  let source: { name: string; paths: readonly string[] };
  if (files.length === 1 && looksLikeArchive(files[0]!)) {
    const archive = files[0]!;
    const wantedNames = new Set([...layout.trainFiles, layout.testFile, layout.namesFile]);
    const { members, paths } = await readTarMembers(archive.data, {
      fileName: archive.name,
      onProgress: subProgress(onProgress, 0, 0.8),
      wanted: (path) => wantedNames.has(baseName(path)),
    });
    for (const [path, data] of members) byName.set(baseName(path), { name: path, data });
    if (byName.size === 0) {
      throw new DatasetFormatError(
        `${archive.name} does not contain the ${layout.name} files.` + wrongArchiveHint(paths, layout),
      );
    }
    source = { name: archive.name, paths };
  } else {
    for (const file of files) byName.set(baseName(file.name), file);
    source = { name: 'the chosen files', paths: files.map((file) => file.name) };
  }
  return buildDataset(variant, byName, source, subProgress(onProgress, 0.8, 1));
}
