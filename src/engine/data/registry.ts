import type { Experiment } from '../experiment/schema';
import { loadBundledDataset, type BundledLoadOptions } from './bundled';
import type { BundledDatasetId } from './bundled-catalog';
import type { DatasetId } from './catalog';
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

export const DATASET_LOADERS: Record<DatasetId, DatasetLoader> = {
  spirals: synthetic('spirals'),
  moons: synthetic('moons'),
  circles: synthetic('circles'),
  xor: synthetic('xor'),
  mnist: bundled('mnist'),
  'fashion-mnist': bundled('fashion-mnist'),
};

export function loadDataset(experiment: Experiment, context: LoadContext): Promise<Dataset> {
  return DATASET_LOADERS[experiment.dataset](experiment, context);
}
