import type { Experiment } from '../experiment/schema';
import type { DatasetId } from './catalog';
import type { Dataset } from './dataset';
import { makeSynthetic } from './synthetic';

/** Loads the dataset an experiment names. One entry per id of catalog.ts (the type enforces it). */
export type DatasetLoader = (experiment: Experiment) => Promise<Dataset>;

const synthetic =
  (kind: 'spirals' | 'moons' | 'circles' | 'xor'): DatasetLoader =>
  async (experiment) =>
    makeSynthetic({
      kind,
      samples: experiment.samples,
      noise: experiment.noise,
      testFraction: experiment.testFraction,
      valFraction: experiment.valFraction,
      seed: experiment.seed,
    });

export const DATASET_LOADERS: Record<DatasetId, DatasetLoader> = {
  spirals: synthetic('spirals'),
  moons: synthetic('moons'),
  circles: synthetic('circles'),
  xor: synthetic('xor'),
};

export function loadDataset(experiment: Experiment): Promise<Dataset> {
  return DATASET_LOADERS[experiment.dataset](experiment);
}
