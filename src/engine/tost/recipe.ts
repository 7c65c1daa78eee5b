import type { Experiment } from '../experiment/schema';
import { relu, type ActivationFn } from '../nn/activations';
import { ghostNeuronActivation, ghostNeuronLambda } from './ghost-neurons';
import { ghostSkipScale } from './ghost-skip';
import type { LabelSmoothing } from './label-smoothing';
import { GRADINIT_GRAD_CLIP, type GradInitSettings } from './lrsi';

export type RecipeId = 'default' | 'tost';

/** How one side of a paired run trains: what differs between Default and ToST, as a function of training time. */
export interface Recipe {
  readonly id: RecipeId;
  readonly label: string;
  activationAt(epoch: number): ActivationFn;
  /** 1 when the network is plain ReLU at this time, below 1 while ghost neurons act. */
  reluShareAt(epoch: number): number;
  /** Whether this recipe's network is built with ghost skip branches. */
  readonly ghostSkips: boolean;
  /** α of the ghost skips at this time; 0 once they are gone. */
  ghostScaleAt(epoch: number): number;
  labelSmoothingAt(epoch: number): LabelSmoothing | null;
  /** LRsI: GradInit settings when the recipe rescales its masked initial weights before training, else null. */
  readonly lrsi: GradInitSettings | null;
}

/** The dense-network protocol: ReLU and plain cross-entropy. */
export const defaultRecipe: Recipe = {
  id: 'default',
  label: 'Default',
  activationAt: () => relu,
  reluShareAt: () => 1,
  ghostSkips: false,
  ghostScaleAt: () => 0,
  labelSmoothingAt: () => null,
  lrsi: null,
};

export function tostRecipe(experiment: Experiment): Recipe {
  const smoothing = experiment.ls ? { alpha: experiment.lsAlpha, convention: experiment.lsConvention } : null;
  return {
    id: 'tost',
    label: 'ToST',
    activationAt: (epoch) => (experiment.gsn ? ghostNeuronActivation(experiment, epoch) : relu),
    reluShareAt: (epoch) => (experiment.gsn ? ghostNeuronLambda(experiment, epoch) : 1),
    ghostSkips: experiment.gsc,
    ghostScaleAt: (epoch) => (experiment.gsc ? ghostSkipScale(experiment, epoch) : 0),
    labelSmoothingAt: (epoch) => (smoothing && (experiment.lsOff === 0 || epoch < experiment.lsOff) ? smoothing : null),
    lrsi: experiment.lrsi
      ? {
          iterations: experiment.lrsiIters,
          lr: experiment.lrsiLr,
          eta: experiment.lrsiEta,
          gamma: experiment.lrsiGamma,
          minScale: experiment.lrsiMinScale,
          gradClip: GRADINIT_GRAD_CLIP,
          gradient: experiment.lrsiGradient,
        }
      : null,
  };
}

export function pairedRecipes(experiment: Experiment): readonly [Recipe, Recipe] {
  return [defaultRecipe, tostRecipe(experiment)];
}
