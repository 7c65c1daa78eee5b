import { density, maskedIndices, maskSetOf, type MaskMethod } from './context';
import { trainForMask } from './mask-training';
import { selectByScore } from './select';

/**
 * Densities after each round of iterative magnitude pruning that removes
 * `rate` of the surviving weights per round, ending exactly at `finalDensity`
 * (the last round prunes less when the ladder overshoots): 0.8, 0.64, 0.512, …
 */
export function lotteryDensities(finalDensity: number, rate: number): number[] {
  const densities: number[] = [];
  let current = 1;
  while (current > finalDensity + 1e-12) {
    current = Math.max(finalDensity, current * (1 - rate));
    densities.push(current);
  }
  return densities;
}

/**
 * Lottery tickets by iterative magnitude pruning with rewinding (Frankle &
 * Carbin 2019; Frankle et al. 2020): each round trains the current mask for
 * `pretrainEpochs` from the rewind point, then prunes `impRate` of the
 * surviving weights by |w| (global or per layer). The rewind point is the
 * initialisation (`impRewind` 0) or the weights after epoch `impRewind` of the
 * first, dense round; the runs then start from that point too. BatchNorm
 * statistics are not rewound (they start fresh).
 */
export const lotteryMask: MaskMethod = async (inputs) => {
  const { network, experiment, initialValues, dataset, report } = inputs;
  const indices = maskedIndices(network, experiment);
  const densities = lotteryDensities(density(experiment), experiment.impRate);
  const rounds = densities.length;
  let masks: Uint8Array[] = indices.map((i) => new Uint8Array(initialValues[i]!.length).fill(1));
  let rewind: Float32Array[] | null = experiment.impRewind === 0 ? [...initialValues] : null;
  for (let round = 1; round <= rounds; round++) {
    const run = await trainForMask(inputs, {
      startValues: rewind ?? initialValues,
      masks: maskSetOf(network.params, indices, masks),
      epochs: experiment.pretrainEpochs,
      tag: `imp/${round}`,
      label: `Lottery ticket: round ${round} of ${rounds}`,
      span: [(round - 1) / rounds, round / rounds],
      afterEpoch: async (current, epoch) => {
        if (round === 1 && epoch === experiment.impRewind) rewind = await current.readWeights();
      },
    });
    try {
      const { accuracy } = await run.evaluate(dataset, dataset.test, experiment.pretrainEpochs);
      const trained = await run.readWeights();
      const scores = indices.map((index, j) => trained[index]!.map((w, i) => (masks[j]![i] ? Math.abs(w) : -Infinity)));
      masks = selectByScore(scores, densities[round - 1]!, experiment.maskScope);
      report({
        fraction: round / rounds,
        message: `Lottery ticket: round ${round} of ${rounds} done`,
        round: { round, rounds, density: densities[round - 1]!, testAccuracy: accuracy },
      });
    } finally {
      run.dispose();
    }
  }
  const maskSet = maskSetOf(network.params, indices, masks);
  if (experiment.impRewind === 0 || !rewind) return { masks: maskSet };
  const rewound = rewind as Float32Array[];
  return { masks: maskSet, startValues: new Map(network.params.map((param, i) => [param.name, rewound[i]!])) };
};
