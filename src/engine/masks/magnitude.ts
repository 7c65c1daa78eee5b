import { density, maskedIndices, maskSetOf, type MaskMethod } from './context';
import { selectByScore } from './select';

/** Magnitude at initialisation (the reference pruner's `Mag`): keep the largest |w| of the weights the runs start from. */
export const magnitudeMask: MaskMethod = async ({ network, experiment, initialValues }) => {
  const indices = maskedIndices(network, experiment);
  const scores = indices.map((i) => initialValues[i]!.map(Math.abs));
  return { masks: maskSetOf(network.params, indices, selectByScore(scores, density(experiment), experiment.maskScope)) };
};
