import { density, maskedIndices, maskSetOf, type MaskMethod } from './context';
import { trainForMask } from './mask-training';
import { selectByScore } from './select';

/**
 * One-shot magnitude pruning (OMP): train the dense network for
 * `pretrainEpochs`, keep the largest |w| of the trained weights in one go; the
 * runs then train that mask from the initial weights, as the reference's
 * cifar_prune + train_ticket do.
 */
export const ompMask: MaskMethod = async (inputs) => {
  const { network, experiment, initialValues } = inputs;
  const indices = maskedIndices(network, experiment);
  const run = await trainForMask(inputs, {
    startValues: initialValues,
    masks: new Map(),
    epochs: experiment.pretrainEpochs,
    tag: 'omp',
    label: 'OMP: dense training',
    span: [0, 1],
  });
  try {
    const trained = await run.readWeights();
    const scores = indices.map((i) => trained[i]!.map(Math.abs));
    return { masks: maskSetOf(network.params, indices, selectByScore(scores, density(experiment), experiment.maskScope)) };
  } finally {
    run.dispose();
  }
};
