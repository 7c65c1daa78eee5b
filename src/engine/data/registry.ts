import type { Experiment } from '../experiment/schema';
import { tinyImageNetMismatch } from './import-settings';
import { loadDataset as readCached, type CacheOptions } from './cache';
import type { ImportableId } from './importer';
import { CIFAR_VALIDATION_COUNT } from './split';
import { loadBundledDataset, type BundledLoadOptions } from './bundled';
import type { BundledDatasetId } from './bundled-catalog';
import { DATASETS, type DatasetId } from './catalog';
import type { CifarVariant } from './formats/cifar';
import type { Dataset } from './dataset';
import { DownloadError, type FetchFunction } from './fetch-progress';
import { fromImageDataset } from './from-images';
import type { ImageDataset } from './image-dataset';
import { NORMALIZATION } from './normalize';
import type { ProgressCallback } from './progress';
import { makeSynthetic, type SyntheticKind } from './synthetic';

/** What a loader may use from its host: the network (the app's own files only) and a progress line. */
export interface LoadContext {
  readonly fetch: FetchFunction;
  /** The app's base URL, absolute. */
  readonly baseUrl: string;
  readonly onProgress?: ProgressCallback;
  /** Where imported datasets are cached (IndexedDB; tests use their own database). */
  readonly cache?: CacheOptions;
}

/** Loads the dataset an experiment names. One entry per id of catalog.ts (the type enforces it). */
export type DatasetLoader = (experiment: Experiment, context: LoadContext) => Promise<Dataset>;

const synthetic =
  (kind: SyntheticKind): DatasetLoader =>
  async (experiment) =>
    makeSynthetic({
      kind,
      samples: experiment.samples,
      noise: experiment.noise,
      testFraction: experiment.testFraction,
      valFraction: experiment.valFraction,
      seed: experiment.seed,
    });

/** Parsed shipped datasets, kept for the worker's lifetime: a second run starts at once. */
const parsed = new Map<BundledDatasetId, ImageDataset>();

async function parsedBundled(id: BundledDatasetId, options: BundledLoadOptions): Promise<ImageDataset> {
  const cached = parsed.get(id);
  if (cached) return cached;
  try {
    const image = await loadBundledDataset(id, options);
    parsed.set(id, image);
    return image;
  } catch (error) {
    if (error instanceof DownloadError && error.status === 404) {
      throw new Error(`${id} is not part of this build of the lab (its files were missing when it was built).`, { cause: error });
    }
    throw error;
  }
}

/** MNIST-style digits: no augmentation (flips and shifts change what a digit is), validation held out by index. */
const bundled =
  (id: BundledDatasetId): DatasetLoader =>
  async (experiment, context) => {
    const image = await parsedBundled(id, { baseUrl: context.baseUrl, fetch: context.fetch, onProgress: context.onProgress });
    return fromImageDataset(image, {
      validationCount: Math.round(image.train.count * experiment.valFraction),
      trainLimit: experiment.trainLimit,
      normalization: NORMALIZATION[id],
      augment: null,
    });
  };

/** Imported datasets read from the cache, kept in memory until re-imported or deleted. */
const imported = new Map<ImportableId, ImageDataset>();

export function forgetImported(id: string): void {
  imported.delete(id as ImportableId);
}

async function readImported(id: ImportableId, context: LoadContext): Promise<ImageDataset> {
  let image = imported.get(id);
  if (!image) {
    const label = DATASETS.find((d) => d.id === id)!.label.replace(' (import)', '');
    context.onProgress?.(0, `Reading ${label} from this browser's storage`);
    image = await readCached(id, context.cache);
    if (!image) throw new Error(`${label} has not been imported yet: import it under Data first.`);
    imported.set(id, image);
  }
  return image;
}

/**
 * CIFAR: the reference protocol's split (official training images 0–4999
 * validate) on a full import, 10% of a smaller file; zero-padded random crop
 * and horizontal flip; CIFAR normalisation.
 */
const importedCifar =
  (id: CifarVariant): DatasetLoader =>
  async (experiment, context) => {
    const image = await readImported(id, context);
    return fromImageDataset(image, {
      validationCount: Math.min(CIFAR_VALIDATION_COUNT, Math.round(image.train.count * 0.1)),
      trainLimit: experiment.trainLimit,
      normalization: NORMALIZATION[id],
      augment: { padding: 4, flip: true },
    });
  };

/**
 * TinyImageNet as the spec's port assumes (§3.2): the official validation
 * folder is the test split; the validation fraction of the training images
 * (10% by default; the parser interleaves classes, so any prefix is balanced)
 * validates; 4-pixel zero padding, random crop and flip, as for CIFAR, at
 * 64×64 or, for a downsampled import, 32×32; ImageNet normalisation.
 */
const importedTinyImageNet: DatasetLoader = async (experiment, context) => {
  const image = await readImported('tiny-imagenet', context);
  // A shared link's settings name the import they were run on; another import would silently train on other data.
  const mismatch = tinyImageNetMismatch(image.choices, experiment);
  if (mismatch) throw new Error(mismatch);
  const validationCount = Math.round(image.train.count * experiment.valFraction);
  return fromImageDataset(image, {
    validationCount: Math.min(validationCount, image.train.count - 1),
    trainLimit: experiment.trainLimit,
    normalization: NORMALIZATION['tiny-imagenet'],
    augment: { padding: 4, flip: true },
  });
};

export const DATASET_LOADERS: Record<DatasetId, DatasetLoader> = {
  spirals: synthetic('spirals'),
  moons: synthetic('moons'),
  circles: synthetic('circles'),
  xor: synthetic('xor'),
  mnist: bundled('mnist'),
  'fashion-mnist': bundled('fashion-mnist'),
  cifar10: importedCifar('cifar10'),
  cifar100: importedCifar('cifar100'),
  'tiny-imagenet': importedTinyImageNet,
};

export function loadDataset(experiment: Experiment, context: LoadContext): Promise<Dataset> {
  return DATASET_LOADERS[experiment.dataset](experiment, context);
}
