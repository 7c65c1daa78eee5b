import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testLoadContext } from '../data/assets.test-support';
import type { Dataset } from '../data/dataset';
import { loadDataset } from '../data/registry';
import { defaultExperiment, type Experiment } from '../experiment/schema';
import { buildNetwork } from '../models/registry';
import { MASK_METHODS } from './catalog';
import { MaskCancelled } from './context';
import { isMasked } from './mask';
import { maskInputs } from './mask-inputs.test-support';
import { maskKey, MaskMemo } from './memo';
import { computeMask } from './registry';

const base: Experiment = {
  ...defaultExperiment,
  dataset: 'spirals',
  samples: 200,
  hidden: [12, 10],
  batchSize: 50,
  pretrainEpochs: 1,
  synflowIters: 5,
  denseLayers: 'none',
  seed: 9,
};
let dataset: Dataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadDataset(base, testLoadContext());
});

const kept = (mask: Uint8Array) => mask.reduce((a, b) => a + b, 0);

describe('every mask method', () => {
  for (const { id, scored } of MASK_METHODS) {
    it(`${id}: exact densities at several targets and scopes, reproducible, no tensor left behind`, async () => {
      const network = buildNetwork(dataset, base);
      for (const sparsity of [0.5, 0.9, 0.99]) {
        for (const maskScope of scored ? (['global', 'layer'] as const) : (['global'] as const)) {
          const experiment: Experiment = { ...base, mask: id, sparsity, maskScope };
          const before = tf.memory().numTensors;
          const { masks } = await computeMask(maskInputs(network, experiment, dataset));
          expect(tf.memory().numTensors).toBe(before);
          const masked = network.params.filter((p) => isMasked(p, experiment));
          expect([...masks.keys()]).toEqual(masked.map((p) => p.name));
          const total = masked.reduce((s, p) => s + masks.get(p.name)!.length, 0);
          const keptTotal = [...masks.values()].reduce((s, m) => s + kept(m), 0);
          if (id === 'random' || maskScope === 'layer') {
            for (const mask of masks.values()) expect(kept(mask)).toBe(Math.round(mask.length * (1 - sparsity)));
          } else if (id === 'erk') {
            // Exact per layer at the ERK densities, which sum to the target up to rounding.
            expect(Math.abs(keptTotal - total * (1 - sparsity))).toBeLessThanOrEqual(masked.length);
          } else {
            expect(keptTotal).toBe(Math.round(total * (1 - sparsity)));
          }
        }
      }
      const experiment: Experiment = { ...base, mask: id, sparsity: 0.9 };
      const first = await computeMask(maskInputs(network, experiment, dataset));
      const again = await computeMask(maskInputs(network, experiment, dataset));
      expect(again.masks).toEqual(first.masks);
    });
  }

  it('leaves the classifier dense with "classifier only", and the first layer too with "first and classifier"', async () => {
    const network = buildNetwork(dataset, base);
    const names = async (denseLayers: Experiment['denseLayers']) =>
      [...(await computeMask(maskInputs(network, { ...base, mask: 'magnitude', denseLayers }, dataset))).masks.keys()];
    expect(await names('none')).toEqual(['fc1.weight', 'fc2.weight', 'fc3.weight']);
    expect(await names('classifier')).toEqual(['fc1.weight', 'fc2.weight']);
    expect(await names('ends')).toEqual(['fc2.weight']);
  });

  it('stops at a checkpoint when asked, without leaking tensors', async () => {
    const network = buildNetwork(dataset, base);
    for (const mask of ['synflow', 'imp', 'gmp', 'omp'] as const) {
      let calls = 0;
      const before = tf.memory().numTensors;
      const inputs = maskInputs(network, { ...base, mask, synflowIters: 20, sparsity: 0.9 }, dataset, {
        checkpoint: async () => {
          calls += 1;
          if (calls === 2) throw new MaskCancelled();
        },
      });
      await expect(computeMask(inputs)).rejects.toBeInstanceOf(MaskCancelled);
      expect(tf.memory().numTensors, mask).toBe(before);
    }
  });
});

describe('mask memo', () => {
  it('keys on what determines the mask and nothing else', () => {
    const key = maskKey(base);
    expect(maskKey({ ...base, gsn: !base.gsn, lsAlpha: 0.2, epochs: 99 })).toBe(key);
    expect(maskKey({ ...base, lr: 0.05 })).toBe(key);
    expect(maskKey({ ...base, seed: 10 })).not.toBe(key);
    expect(maskKey({ ...base, sparsity: 0.95 })).not.toBe(key);
    expect(maskKey({ ...base, maskScope: 'layer' })).not.toBe(key);
    expect(maskKey({ ...base, width: 0.5, arch: 'lenet5', dataset: 'mnist' })).not.toBe(maskKey({ ...base, arch: 'lenet5', dataset: 'mnist' }));
    // Trained masks also depend on the protocol they train with, but not on the run's length.
    const omp = { ...base, mask: 'omp' as const };
    expect(maskKey({ ...omp, lr: 0.05 })).not.toBe(maskKey(omp));
    expect(maskKey({ ...omp, epochs: 99 })).toBe(maskKey(omp));
  });

  it('returns what it stored and forgets the least recently used beyond four', () => {
    const memo = new MaskMemo();
    const results = [1, 2, 3, 4, 5].map((seed) => ({ seed, result: { masks: new Map([['w', Uint8Array.of(seed)]]) } }));
    results.slice(0, 4).forEach(({ seed, result }) => memo.set({ ...base, seed }, result));
    expect(memo.get({ ...base, seed: 1 })).toBe(results[0]!.result);
    memo.set({ ...base, seed: 5 }, results[4]!.result);
    expect(memo.get({ ...base, seed: 2 })).toBeUndefined();
    expect(memo.get({ ...base, seed: 1 })).toBe(results[0]!.result);
    expect(memo.get({ ...base, seed: 5 })).toBe(results[4]!.result);
  });
});
