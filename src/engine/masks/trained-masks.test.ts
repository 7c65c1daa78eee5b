import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../data/registry';
import { testLoadContext } from '../data/assets.test-support';
import type { Dataset } from '../data/dataset';
import { defaultExperiment, type Experiment } from '../experiment/schema';
import { buildNetwork } from '../models/registry';
import { maskedIndices } from './context';
import { gmpMask, gmpSparsity, gmpUpdateSteps, GMP_UPDATES } from './gmp';
import { lotteryDensities, lotteryMask } from './lottery';
import { maskInputs } from './mask-inputs.test-support';
import { trainForMask } from './mask-training';
import { ompMask } from './omp';
import { selectByScore } from './select';

const base: Experiment = {
  ...defaultExperiment,
  dataset: 'moons',
  samples: 300,
  hidden: [16, 16],
  batchSize: 32,
  denseLayers: 'none',
  sparsity: 0.8,
  pretrainEpochs: 1,
  seed: 6,
};
let dataset: Dataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadDataset(base, testLoadContext());
});

const network = () => buildNetwork(dataset, base);
const kept = (mask: Uint8Array) => mask.reduce((a, b) => a + b, 0);

describe('OMP', () => {
  it('keeps the largest |w| of the densely trained weights', async () => {
    const experiment = { ...base, mask: 'omp' as const, pretrainEpochs: 5 };
    const net = network();
    const inputs = maskInputs(net, experiment, dataset);
    const { masks, startValues } = await ompMask(inputs);
    expect(startValues).toBeUndefined();
    // The same training, run again, gives the weights OMP ranked.
    const run = await trainForMask(maskInputs(net, experiment, dataset), { startValues: inputs.initialValues, masks: new Map(), epochs: 5, tag: 'omp', label: 'x', span: [0, 1] });
    const trained = await run.readWeights();
    run.dispose();
    const indices = maskedIndices(net, experiment);
    const expected = selectByScore(indices.map((i) => trained[i]!.map(Math.abs)), 0.2, 'global');
    indices.forEach((index, k) => expect(masks.get(net.params[index]!.name)).toEqual(expected[k]));
    // Training changed the ranking: this is not magnitude at initialisation.
    const atInit = selectByScore(indices.map((i) => inputs.initialValues[i]!.map(Math.abs)), 0.2, 'global');
    expect(indices.some((_, k) => atInit[k]!.some((bit, j) => bit !== expected[k]![j]))).toBe(true);
  });
});

describe('GMP', () => {
  it('follows the cubic schedule from 0 to the target', () => {
    expect(gmpSparsity(0.9, 0, 10)).toBe(0);
    expect(gmpSparsity(0.9, 10, 10)).toBeCloseTo(0.9, 12);
    expect(gmpSparsity(0.9, 5, 10)).toBeCloseTo(0.9 * (1 - 0.125), 12);
    const steps = gmpUpdateSteps(100);
    expect(steps).toHaveLength(GMP_UPDATES + 1);
    expect(steps[0]).toBe(10);
    expect(steps.at(-1)).toBe(60);
    // A run of a single step still makes every update (at that step).
    expect(gmpUpdateSteps(1)).toEqual(new Array(GMP_UPDATES + 1).fill(1));
  });

  it('prunes gradually during training and ends at the exact target', async () => {
    const experiment = { ...base, mask: 'gmp' as const, sparsity: 0.9, pretrainEpochs: 2 };
    const net = network();
    const before = tf.memory().numTensors;
    const { masks } = await gmpMask(maskInputs(net, experiment, dataset));
    expect(tf.memory().numTensors).toBe(before);
    const total = [...masks.values()].reduce((s, m) => s + m.length, 0);
    expect([...masks.values()].reduce((s, m) => s + kept(m), 0)).toBe(Math.round(total * 0.1));
  });
});

describe('lottery tickets', () => {
  it('prunes 20% of the survivors per round, the last round stopping at the target', () => {
    const ladder = lotteryDensities(0.1, 0.2);
    expect(ladder.slice(0, 4).map((d) => +d.toFixed(6))).toEqual([0.8, 0.64, 0.512, 0.4096]);
    expect(ladder).toHaveLength(11);
    expect(ladder.at(-1)).toBe(0.1);
    expect(lotteryDensities(1, 0.2)).toEqual([]);
  });

  it('reaches the density of every round, reports them, and rewinds to the stored weights', async () => {
    const experiment = { ...base, mask: 'imp' as const, sparsity: 0.5, impRewind: 1, pretrainEpochs: 1 };
    const net = network();
    const inputs = maskInputs(net, experiment, dataset);
    const before = tf.memory().numTensors;
    const { masks, startValues } = await lotteryMask(inputs);
    expect(tf.memory().numTensors).toBe(before);
    const rounds = inputs.progress.flatMap((p) => (p.round ? [p.round] : []));
    expect(rounds.map((r) => r.round)).toEqual([1, 2, 3, 4]);
    expect(rounds.map((r) => +r.density.toFixed(4))).toEqual([0.8, 0.64, 0.512, 0.5]);
    rounds.forEach((r) => expect(r.testAccuracy).toBeGreaterThan(0));
    const total = [...masks.values()].reduce((s, m) => s + m.length, 0);
    expect([...masks.values()].reduce((s, m) => s + kept(m), 0)).toBe(Math.round(total * 0.5));
    // Rewound to the weights after epoch 1 of the first, dense round: train that round again and compare.
    const run = await trainForMask(maskInputs(net, experiment, dataset), { startValues: inputs.initialValues, masks: new Map(), epochs: 1, tag: 'imp/1', label: 'x', span: [0, 1] });
    const firstRound = await run.readWeights();
    run.dispose();
    net.params.forEach((param, i) => expect(startValues!.get(param.name)).toEqual(firstRound[i]));
  });

  it('rewinds to the initialisation by default (the runs start from the initial draw)', async () => {
    const experiment = { ...base, mask: 'imp' as const, sparsity: 0.36 };
    const { startValues, masks } = await lotteryMask(maskInputs(network(), experiment, dataset));
    expect(startValues).toBeUndefined();
    const total = [...masks.values()].reduce((s, m) => s + m.length, 0);
    expect([...masks.values()].reduce((s, m) => s + kept(m), 0)).toBe(Math.round(total * 0.64));
  });

  it('prunes only survivors: each round keeps a subset of the previous mask', async () => {
    const experiment = { ...base, mask: 'imp' as const, sparsity: 0.36, maskScope: 'layer' as const };
    const net = network();
    const inputs = maskInputs(net, experiment, dataset);
    const { masks } = await lotteryMask(inputs);
    const indices = maskedIndices(net, experiment);
    // Per-layer scope: each layer at exactly 64%.
    indices.forEach((i) => {
      const mask = masks.get(net.params[i]!.name)!;
      expect(kept(mask)).toBe(Math.round(mask.length * 0.64));
    });
    const oneRound = await lotteryMask(maskInputs(net, { ...experiment, sparsity: 0.2 }, dataset));
    for (const [name, mask] of masks) mask.forEach((bit, j) => expect(bit <= oneRound.masks.get(name)![j]!).toBe(true));
  });
});
