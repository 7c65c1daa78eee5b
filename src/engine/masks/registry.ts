import type { Experiment } from '../experiment/schema';
import type { Network } from '../models/network';
import { Rng } from '../train/rng';
import type { MaskMethodId } from './catalog';
import { isMasked, type MaskSet } from './mask';
import { erkMasks } from './erk';
import { randomLayerMask } from './random';

/** Computes a mask for a network. One entry per id of catalog.ts (the type enforces it). */
export type MaskMethod = (network: Network, experiment: Experiment) => Promise<MaskSet>;

export const MASK_METHODS_BY_ID: Record<MaskMethodId, MaskMethod> = {
  random: async (network, experiment) => {
    const rng = Rng.stream(experiment.seed, 'mask');
    const masks = new Map<string, Uint8Array>();
    for (const param of network.params) {
      if (isMasked(param, experiment)) masks.set(param.name, randomLayerMask(param.shape.reduce((a, b) => a * b, 1), experiment.sparsity, rng));
    }
    return masks;
  },
  erk: async (network, experiment) => {
    const rng = Rng.stream(experiment.seed, 'mask');
    const masked = network.params.filter((param) => isMasked(param, experiment));
    const layerMasks = erkMasks(masked, experiment.sparsity, rng);
    return new Map(masked.map((param, i) => [param.name, layerMasks[i]!]));
  },
};

export function computeMask(network: Network, experiment: Experiment): Promise<MaskSet> {
  return MASK_METHODS_BY_ID[experiment.mask](network, experiment);
}
