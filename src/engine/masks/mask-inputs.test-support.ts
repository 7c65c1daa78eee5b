import type { Dataset } from '../data/dataset';
import type { Experiment } from '../experiment/schema';
import type { Network } from '../models/network';
import { drawInitialValues } from '../train/session';
import type { MaskInputs, MaskProgress } from './context';

/** MaskInputs for tests: the session's initial draw, progress collected, no pausing. */
export function maskInputs(
  network: Network,
  experiment: Experiment,
  dataset: Dataset,
  overrides: Partial<MaskInputs> = {},
): MaskInputs & { progress: MaskProgress[] } {
  const progress: MaskProgress[] = [];
  return {
    network,
    experiment,
    dataset,
    initialValues: drawInitialValues(network, experiment.seed),
    report: (p) => progress.push(p),
    checkpoint: async () => undefined,
    progress,
    ...overrides,
  };
}

/** A dataset of random float features for networks that only need shapes (data-free methods). */
export function shapeOnlyDataset(inputShape: readonly number[], numClasses: number, count = 40): Dataset {
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: count * size }, (_, i) => Math.sin(i * 12.9898) * 0.5);
  const y = Int32Array.from({ length: count }, (_, i) => i % numClasses);
  const split = { x, y, count };
  return { id: 'shape-only', inputShape, numClasses, train: split, validation: null, test: split };
}
