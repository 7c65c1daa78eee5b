import type { Experiment } from '../experiment/schema';
import { relu, type ActivationFn } from '../nn/activations';
import { ghostNeuronActivation, ghostNeuronLambda } from './ghost-neurons';
import type { LabelSmoothing } from './label-smoothing';

export type RecipeId = 'default' | 'tost';

/** How one side of a paired run trains: what differs between Default and ToST, as a function of training time. */
export interface Recipe {
  readonly id: RecipeId;
  readonly label: string;
  activationAt(epoch: number): ActivationFn;
  /** 1 when the network is plain ReLU at this time, below 1 while ghost neurons act. */
  reluShareAt(epoch: number): number;
  readonly labelSmoothing: LabelSmoothing | null;
}

/** The dense-network protocol: ReLU and plain cross-entropy. */
export const defaultRecipe: Recipe = {
  id: 'default',
  label: 'Default',
  activationAt: () => relu,
  reluShareAt: () => 1,
  labelSmoothing: null,
};

export function tostRecipe(experiment: Experiment): Recipe {
  return {
    id: 'tost',
    label: 'ToST',
    activationAt: (epoch) => (experiment.gsn ? ghostNeuronActivation(experiment, epoch) : relu),
    reluShareAt: (epoch) => (experiment.gsn ? ghostNeuronLambda(experiment, epoch) : 1),
    labelSmoothing: experiment.ls ? { alpha: experiment.lsAlpha, convention: experiment.lsConvention } : null,
  };
}

export function pairedRecipes(experiment: Experiment): readonly [Recipe, Recipe] {
  return [defaultRecipe, tostRecipe(experiment)];
}
