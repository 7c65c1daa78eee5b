import { datasetShape } from '../data/catalog';
import type { Experiment } from '../experiment/schema';
import { isMasked, keptCount } from '../masks/mask';
import { paramSize } from './network';
import { buildNetwork } from './registry';

export interface ModelSummary {
  readonly totalParams: number;
  /** Parameters left after masking at the experiment's sparsity (masks keep exact counts per tensor). */
  readonly keptParams: number;
  readonly maskedTensors: number;
}

/** Counts from the layer shapes alone: no weights are drawn and no data is loaded. */
export function summarizeModel(experiment: Experiment): ModelSummary {
  const network = buildNetwork(datasetShape(experiment.dataset), experiment);
  let totalParams = 0;
  let keptParams = 0;
  let maskedTensors = 0;
  for (const param of network.params) {
    const size = paramSize(param);
    totalParams += size;
    if (isMasked(param, experiment)) {
      maskedTensors++;
      keptParams += keptCount(size, experiment.sparsity);
    } else {
      keptParams += size;
    }
  }
  return { totalParams, keptParams, maskedTensors };
}
