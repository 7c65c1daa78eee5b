import { maskedIndices, maskSetOf, type MaskMethod } from './context';
import { trainForMask } from './mask-training';
import { selectByScore } from './select';

/** Share of the training steps at which pruning starts and ends (the spec leaves t₀ and nΔt open; see the README). */
export const GMP_START = 0.1;
export const GMP_END = 0.6;
/** Number of pruning updates n (the sparsity reaches its target at the n-th). */
export const GMP_UPDATES = 10;

/** Zhu & Gupta's cubic schedule: s_k = s_f·(1 − (1 − k/n)³) for update k of n (initial sparsity 0). */
export function gmpSparsity(finalSparsity: number, k: number, n: number): number {
  return finalSparsity * (1 - (1 - k / n) ** 3);
}

/** Steps after which update k = 0…n happens, spread evenly over [GMP_START, GMP_END] of the training. */
export function gmpUpdateSteps(totalSteps: number, n = GMP_UPDATES): number[] {
  const first = Math.max(1, Math.round(GMP_START * totalSteps));
  const last = Math.max(first, Math.round(GMP_END * totalSteps));
  return Array.from({ length: n + 1 }, (_, k) => Math.round(first + ((last - first) * k) / n));
}

/**
 * Gradual magnitude pruning (Zhu & Gupta 2017): dense training in which the
 * smallest-|w| surviving weights are pruned at n + 1 evenly spaced steps along
 * the cubic schedule; pruned weights stay 0. The final mask is trained from the
 * initial weights like every other mask.
 */
export const gmpMask: MaskMethod = async (inputs) => {
  const { network, experiment, initialValues } = inputs;
  const indices = maskedIndices(network, experiment);
  let masks: Uint8Array[] = indices.map((i) => new Uint8Array(initialValues[i]!.length).fill(1));
  let updates: number[] = [];
  let update = 0;
  const run = await trainForMask(inputs, {
    startValues: initialValues,
    masks: new Map(),
    epochs: experiment.pretrainEpochs,
    tag: 'gmp',
    label: 'GMP: training while pruning',
    span: [0, 1],
    afterStep: async (current, step, totalSteps) => {
      if (step === 1) updates = gmpUpdateSteps(totalSteps);
      while (update < updates.length && step === updates[update]) {
        const weights = await current.readWeights();
        const scores = indices.map((index, j) => weights[index]!.map((w, i) => (masks[j]![i] ? Math.abs(w) : -Infinity)));
        const sparsity = gmpSparsity(experiment.sparsity, update, GMP_UPDATES);
        masks = selectByScore(scores, 1 - sparsity, experiment.maskScope);
        current.prune(maskSetOf(network.params, indices, masks));
        update += 1;
      }
    },
  });
  run.dispose();
  return { masks: maskSetOf(network.params, indices, masks) };
};
