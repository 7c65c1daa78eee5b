import type { Experiment } from '../experiment/schema';
import type { ArchitectureId } from './catalog';
import { buildMlp } from './mlp';
import type { Network, NetworkShape } from './network';

/** Builds the network an experiment names. One entry per id of catalog.ts (the type enforces it). */
export type ArchitectureBuilder = (shape: NetworkShape, experiment: Experiment) => Network;

export const ARCHITECTURE_BUILDERS: Record<ArchitectureId, ArchitectureBuilder> = {
  mlp: (shape, experiment) => buildMlp(shape, experiment.hidden),
};

export function buildNetwork(shape: NetworkShape, experiment: Experiment): Network {
  return ARCHITECTURE_BUILDERS[experiment.arch](shape, experiment);
}
