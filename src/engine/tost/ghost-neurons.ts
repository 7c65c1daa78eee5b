import type { Experiment } from '../experiment/schema';
import { activationById, blendActivation, type ActivationFn } from '../nn/activations';

/**
 * Ghost soft neurons: every ReLU is replaced by (1 − λ)·soft + λ·ReLU.
 * λ = 0 is fully soft, λ = 1 is the plain ReLU network.
 *  - reference: soft for the whole run (λ ≡ 0), as the public code does;
 *  - switch: soft before epoch `gsnEnd`, ReLU from it;
 *  - blend: λ rises linearly per step from 0 at `gsnStart` to 1 at `gsnEnd`.
 */
export function ghostNeuronLambda(
  experiment: Pick<Experiment, 'gsnSchedule' | 'gsnStart' | 'gsnEnd'>,
  epoch: number,
): number {
  switch (experiment.gsnSchedule) {
    case 'reference':
      return 0;
    case 'switch':
      return epoch < experiment.gsnEnd ? 0 : 1;
    case 'blend': {
      const span = experiment.gsnEnd - experiment.gsnStart;
      if (span <= 0) return epoch < experiment.gsnEnd ? 0 : 1;
      return Math.min(1, Math.max(0, (epoch - experiment.gsnStart) / span));
    }
  }
}

export function ghostNeuronActivation(
  experiment: Pick<Experiment, 'gsnSchedule' | 'gsnStart' | 'gsnEnd' | 'gsnActivation' | 'pswishBeta'>,
  epoch: number,
): ActivationFn {
  const soft = activationById(experiment.gsnActivation, experiment.pswishBeta);
  return blendActivation(soft, ghostNeuronLambda(experiment, epoch));
}
