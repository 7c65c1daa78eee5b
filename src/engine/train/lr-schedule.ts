import type { Experiment } from '../experiment/schema';

/** The reference protocol divides the rate by 10 at epochs 90 and 135 of 182; we keep those fractions of any run length. */
export const MULTISTEP_FRACTIONS = [90 / 182, 135 / 182] as const;

export function multistepMilestones(epochs: number): number[] {
  return MULTISTEP_FRACTIONS.map((fraction) => Math.round(fraction * epochs));
}

/**
 * Learning rate for a step taken at fractional epoch `epoch` (step / stepsPerEpoch).
 * Multistep changes at epoch starts, like PyTorch's MultiStepLR stepped per epoch;
 * cosine anneals per step to 0 at the end of the run.
 */
export function learningRateAt(
  experiment: Pick<Experiment, 'lr' | 'lrSchedule' | 'epochs' | 'warmupEpochs'>,
  epoch: number,
  stepsPerEpoch: number,
): number {
  return warmupFactor(experiment.warmupEpochs, epoch, stepsPerEpoch) * scheduledRate(experiment, epoch);
}

/** Linear warm-up by step: the k-th step (from 1) of W warm-up steps uses k/W of the rate. */
export function warmupFactor(warmupEpochs: number, epoch: number, stepsPerEpoch: number): number {
  if (warmupEpochs <= 0) return 1;
  const warmupSteps = warmupEpochs * stepsPerEpoch;
  const step = Math.round(epoch * stepsPerEpoch) + 1;
  return Math.min(1, step / warmupSteps);
}

function scheduledRate(experiment: Pick<Experiment, 'lr' | 'lrSchedule' | 'epochs'>, epoch: number): number {
  switch (experiment.lrSchedule) {
    case 'constant':
      return experiment.lr;
    case 'cosine':
      return experiment.lr * 0.5 * (1 + Math.cos((Math.PI * Math.min(epoch, experiment.epochs)) / experiment.epochs));
    case 'multistep': {
      const whole = Math.floor(epoch);
      const drops = multistepMilestones(experiment.epochs).filter((milestone) => whole >= milestone).length;
      return experiment.lr * 0.1 ** drops;
    }
  }
}
