import type { Dataset } from '../data/dataset';
import type { Experiment } from '../experiment/schema';
import type { Network, ParamSpec } from '../models/network';
import { isMasked, type MaskSet } from './mask';

/** One finished round of an iterative method (lottery ticket): shown live in the lab. */
export interface MaskRound {
  readonly round: number;
  readonly rounds: number;
  /** Share of the masked weights kept after this round. */
  readonly density: number;
  /** Test accuracy of the network trained in this round (before pruning it). */
  readonly testAccuracy: number;
}

export interface MaskProgress {
  readonly fraction: number;
  readonly message: string;
  readonly round?: MaskRound;
}

/** Everything a mask method may use. Scorers read the initial weights the runs will start from. */
export interface MaskInputs {
  readonly network: Network;
  readonly experiment: Experiment;
  /** Initial values of every parameter of `network`, in its order (the draw both recipes start from). */
  readonly initialValues: readonly Float32Array[];
  readonly dataset: Dataset;
  readonly report: (progress: MaskProgress) => void;
  /** Lets Pause and Stop in between units of work; throws MaskCancelled once stopped. */
  readonly checkpoint: () => Promise<void>;
}

export interface MaskResult {
  readonly masks: MaskSet;
  /**
   * Values the runs start from instead of the initial draw, by parameter name
   * (lottery tickets rewound to an early epoch). Absent: the initial draw.
   */
  readonly startValues?: ReadonlyMap<string, Float32Array>;
}

export class MaskCancelled extends Error {
  constructor() {
    super('Mask computation was stopped');
    this.name = 'MaskCancelled';
  }
}

/** Indices into `network.params` of the tensors the mask covers. */
export function maskedIndices(network: Network, experiment: Experiment): number[] {
  return network.params.flatMap((param, i) => (isMasked(param, experiment) ? [i] : []));
}

export function maskSetOf(params: readonly ParamSpec[], indices: readonly number[], masks: readonly Uint8Array[]): MaskSet {
  return new Map(indices.map((index, k) => [params[index]!.name, masks[k]!]));
}

export function density(experiment: Pick<Experiment, 'sparsity'>): number {
  return 1 - experiment.sparsity;
}

/** Computes a mask for a network. One per id of catalog.ts, in registry.ts. */
export type MaskMethod = (inputs: MaskInputs) => Promise<MaskResult>;
