import { density, maskSetOf, type MaskMethod } from './context';
import { gradientSaliency } from './gradient-saliency';
import { selectByScore } from './select';

/** First-order Taylor (the reference's Taylor1ScorerAbs): |θ ⊙ Σ_b ∂L_b/∂θ| on the pruning set. */
export const taylorMask: MaskMethod = async (inputs) => {
  const { indices, scores } = await gradientSaliency(inputs);
  const { network, experiment } = inputs;
  return { masks: maskSetOf(network.params, indices, selectByScore(scores, density(experiment), experiment.maskScope)) };
};
