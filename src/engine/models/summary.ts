import { datasetShape } from '../data/catalog';
import type { Experiment } from '../experiment/schema';
import { erkDensities } from '../masks/erk';
import { maskMethodInfo } from '../masks/catalog';
import { isMasked, keptCount } from '../masks/mask';
import { keepCountForDensity } from '../masks/select';
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
  const totalParams = network.params.reduce((sum, param) => sum + paramSize(param), 0);
  const maskedSize = masked.reduce((sum, param) => sum + paramSize(param), 0);
  const dense = totalParams - maskedSize;
  // Scored masks with global scope keep an exact count over all masked tensors together.
  if (maskMethodInfo(experiment.mask).scored && experiment.maskScope === 'global') {
    return { totalParams, keptParams: dense + keepCountForDensity(maskedSize, 1 - experiment.sparsity), maskedTensors: masked.length };
  }
  // Otherwise the counts are exact per tensor, at the method's per-tensor densities.
  const densities = experiment.mask === 'erk' ? erkDensities(masked, experiment.sparsity) : masked.map(() => 1 - experiment.sparsity);
  const keptMasked = masked.reduce((sum, param, i) => sum + keptCount(paramSize(param), 1 - densities[i]!), 0);
  return { totalParams, keptParams: dense + keptMasked, maskedTensors: masked.length };
}
