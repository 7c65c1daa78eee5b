import { Rng } from '../train/rng';
import { maskedIndices, maskSetOf, type MaskMethod } from './context';
import { erkMasks } from './erk';
import { randomLayerMask } from './random';

/** Uniform random: exactly round(size·density) kept in every masked tensor. */
export const randomMask: MaskMethod = async ({ network, experiment }) => {
  const rng = Rng.stream(experiment.seed, 'mask');
  const indices = maskedIndices(network, experiment);
  const masks = indices.map((i) => randomLayerMask(network.params[i]!.shape.reduce((a, b) => a * b, 1), experiment.sparsity, rng));
  return { masks: maskSetOf(network.params, indices, masks) };
};

/** Random within each layer at the ERK densities. */
export const erkMask: MaskMethod = async ({ network, experiment }) => {
  const rng = Rng.stream(experiment.seed, 'mask');
  const indices = maskedIndices(network, experiment);
  return { masks: maskSetOf(network.params, indices, erkMasks(indices.map((i) => network.params[i]!), experiment.sparsity, rng)) };
};
