import { density, maskSetOf, type MaskMethod } from './context';
import { gradientSaliency } from './gradient-saliency';
import { selectByScore } from './select';

/**
 * SNIP (Lee et al. 2019): |∂L/∂m| at m = 1, which is |θ ⊙ ∂L/∂θ|, normalised
 * to sum to 1 over the masked weights as the reference does. The
 * normalisation does not change the ranking, so SNIP and Taylor keep the same
 * weights on the same pruning set.
 */
export function snipScores(raw: readonly Float32Array[]): Float32Array[] {
  const total = raw.reduce((sum, s) => sum + s.reduce((a, b) => a + b, 0), 0);
  return raw.map((s) => (total > 0 ? s.map((v) => v / total) : s));
}

export const snipMask: MaskMethod = async (inputs) => {
  const { indices, scores } = await gradientSaliency(inputs);
  const { network, experiment } = inputs;
  return { masks: maskSetOf(network.params, indices, selectByScore(snipScores(scores), density(experiment), experiment.maskScope)) };
};
