import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment, type Experiment } from '../experiment/schema';
import { buildNetwork } from '../models/registry';
import { magnitudeMask } from './magnitude';
import { maskInputs, shapeOnlyDataset } from './mask-inputs.test-support';
import { selectByScore } from './select';
import { synflowDensity, synflowMask } from './synflow';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const kept = (mask: Uint8Array) => mask.reduce((a, b) => a + b, 0);

describe('SynFlow', () => {
  it('follows the exponential density schedule d^(k/n)', () => {
    expect(synflowDensity(0.01, 0, 100)).toBe(1);
    expect(synflowDensity(0.01, 50, 100)).toBeCloseTo(0.1, 12);
    expect(synflowDensity(0.01, 100, 100)).toBeCloseTo(0.01, 12);
  });

  it('scores |θ ⊙ ∂R/∂θ| with R = Σ f(1) on absolute weights, as derived by hand for a two-layer MLP', async () => {
    const network = buildNetwork({ inputShape: [3], numClasses: 2 }, { arch: 'mlp', hidden: [4], width: 1 });
    const experiment: Experiment = { ...defaultExperiment, mask: 'synflow', synflowIters: 1, sparsity: 0.5, denseLayers: 'none', seed: 2 };
    const inputs = maskInputs(network, experiment, shapeOnlyDataset([3], 2));
    const [w1, b1, w2] = inputs.initialValues.map((v) => [...v].map(Math.abs)) as [number[], number[], number[]];
    // With all-ones input and non-negative weights ReLU is the identity: h_j = Σ_i |W1[j,i]| + |b1_j|.
    const h = [0, 1, 2, 3].map((j) => w1.slice(j * 3, j * 3 + 3).reduce((a, b) => a + b, 0) + b1[j]!);
    // ∂R/∂W1[j,i] = Σ_k |W2[k,j]|, ∂R/∂W2[k,j] = h_j.
    const out = [0, 1, 2, 3].map((j) => w2[j]! + w2[4 + j]!);
    const s1 = Float32Array.from(w1.map((w, index) => w * out[Math.floor(index / 3)]!));
    const s2 = Float32Array.from(w2.map((w, index) => w * h[index % 4]!));
    const expected = selectByScore([s1, s2], 0.5, 'global');
    const { masks } = await synflowMask(inputs);
    expect(masks.get('fc1.weight')).toEqual(expected[0]);
    expect(masks.get('fc2.weight')).toEqual(expected[1]);
  });

  it('avoids layer collapse where global magnitude empties a layer', async () => {
    // The 400→4 layer has fan-in 400, so its initial weights are ten times smaller than the others'.
    const network = buildNetwork({ inputShape: [2], numClasses: 3 }, { arch: 'mlp', hidden: [4, 400, 4], width: 1 });
    const experiment: Experiment = { ...defaultExperiment, mask: 'synflow', sparsity: 0.99, denseLayers: 'none', seed: 5 };
    const dataset = shapeOnlyDataset([2], 3);
    const magnitude = await magnitudeMask(maskInputs(network, { ...experiment, mask: 'magnitude' }, dataset));
    expect(kept(magnitude.masks.get('fc3.weight')!)).toBe(0);
    const inputs = maskInputs(network, experiment, dataset);
    const before = tf.memory().numTensors;
    const synflow = await synflowMask(inputs);
    expect(tf.memory().numTensors).toBe(before);
    for (const [name, mask] of synflow.masks) expect(kept(mask), name).toBeGreaterThan(0);
    const total = [...synflow.masks.values()].reduce((sum, m) => sum + m.length, 0);
    expect([...synflow.masks.values()].reduce((sum, m) => sum + kept(m), 0)).toBe(Math.round(total * 0.01));
    expect(inputs.progress.at(-1)).toMatchObject({ fraction: 1, message: 'SynFlow: iteration 100 of 100' });
  });

  it('never brings back a weight pruned in an earlier iteration', async () => {
    const network = buildNetwork({ inputShape: [2], numClasses: 3 }, { arch: 'mlp', hidden: [8, 8], width: 1 });
    const base: Experiment = { ...defaultExperiment, mask: 'synflow', denseLayers: 'none', seed: 8, synflowIters: 4 };
    const dataset = shapeOnlyDataset([2], 3);
    // Four iterations to d = 0.3^(4/4) pass through d = 0.3^(2/4): two iterations to that density give the same mask.
    const early = await synflowMask(maskInputs(network, { ...base, synflowIters: 2, sparsity: 1 - Math.sqrt(0.3) }, dataset));
    const late = await synflowMask(maskInputs(network, { ...base, sparsity: 0.7 }, dataset));
    for (const [name, mask] of late.masks) mask.forEach((bit, i) => expect(bit <= early.masks.get(name)![i]!).toBe(true));
  });
});
