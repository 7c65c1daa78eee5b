import { datasetShape } from '../data/catalog';
import type { Experiment } from '../experiment/schema';
import { erkDensities } from '../masks/erk';
import { isMasked, keptCount } from '../masks/mask';
import { paramSize } from './network';
import { buildNetwork } from './registry';

export interface ModelSummary {
  readonly totalParams: number;
  /** Parameters left after masking at the experiment's sparsity (masks keep exact counts per tensor). */
  readonly keptParams: number;
  readonly maskedTensors: number;
}

/**
 * Counts from the layer shapes alone: no weights are drawn and no data is
 * loaded. `inputShape` overrides the catalog's, for an import stored smaller.
 */
export function summarizeModel(experiment: Experiment, inputShape?: readonly number[]): ModelSummary {
  const shape = datasetShape(experiment.dataset);
  const network = buildNetwork(inputShape ? { ...shape, inputShape } : shape, experiment);
  const masked = network.params.filter((param) => isMasked(param, experiment));
  // Per-tensor densities exactly as the mask method sets them (counts are exact per tensor).
  const densities = experiment.mask === 'erk' ? erkDensities(masked, experiment.sparsity) : masked.map(() => 1 - experiment.sparsity);
  const density = new Map(masked.map((param, i) => [param.name, densities[i]!]));
  let totalParams = 0;
  let keptParams = 0;
  for (const param of network.params) {
    const size = paramSize(param);
    totalParams += size;
    const d = density.get(param.name);
    keptParams += d === undefined ? size : keptCount(size, 1 - d);
  }
  return { totalParams, keptParams, maskedTensors: masked.length };
}
