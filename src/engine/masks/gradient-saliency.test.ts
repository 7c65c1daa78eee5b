import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment, type Experiment } from '../experiment/schema';
import { gradientSaliency } from './gradient-saliency';
import { linearNetwork, softmaxRows, tinyDataset } from './linear-network.test-support';
import { maskInputs } from './mask-inputs.test-support';
import { pruningBatches } from './scoring';
import { snipMask, snipScores } from './snip';
import { taylorMask } from './taylor';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const D = 5;
const C = 3;
const experiment: Experiment = { ...defaultExperiment, mask: 'snip', sparsity: 0.6, denseLayers: 'none', seed: 4 };

/** |W ⊙ Σ_b (1/n_b) Σ_i (p_i − y_i) x_iᵀ|, the cross-entropy gradient of softmax regression, in float64. */
function handScores(weights: Float32Array, batches: ReturnType<typeof pruningBatches>): number[] {
  const grad = new Array<number>(C * D).fill(0);
  for (const batch of batches) {
    const xs = Array.from({ length: batch.y.length }, (_, i) => [...batch.x.subarray(i * D, (i + 1) * D)]);
    const logits = xs.map((x) => Array.from({ length: C }, (_, c) => x.reduce((sum, v, d) => sum + v * weights[c * D + d]!, 0)));
    softmaxRows(logits).forEach((p, i) => {
      for (let c = 0; c < C; c++) {
        const error = p[c]! - (batch.y[i] === c ? 1 : 0);
        for (let d = 0; d < D; d++) grad[c * D + d]! += (error * xs[i]![d]!) / batch.y.length;
      }
    });
  }
  return grad.map((g, k) => Math.abs(g * weights[k]!));
}

describe('gradient saliency (Taylor, SNIP)', () => {
  it('scores |w · Σ_b ∂L_b/∂w| on the pruning set, as derived by hand', async () => {
    const dataset = tinyDataset(D, C, 600);
    const inputs = maskInputs(linearNetwork(D, C), experiment, dataset);
    const batches = pruningBatches(dataset, experiment.seed);
    // 10 per class, in one batch.
    expect(batches.map((b) => b.y.length)).toEqual([30]);
    const { scores } = await gradientSaliency(inputs);
    const expected = handScores(inputs.initialValues[0]!, batches);
    scores[0]!.forEach((s, k) => expect(s).toBeCloseTo(expected[k]!, 5));
  });

  it('sums the gradients of every batch before the absolute value', async () => {
    // 300 examples per class over 3 classes is more than one pruning batch of 256 when 100 per class are taken.
    const dataset = tinyDataset(D, C, 900);
    const inputs = maskInputs(linearNetwork(D, C), experiment, dataset);
    const batches = pruningBatches(dataset, experiment.seed, 100);
    expect(batches.map((b) => b.y.length)).toEqual([256, 44]);
    const expected = handScores(inputs.initialValues[0]!, batches);
    const { summedGradients, paramTensors } = await import('./scoring');
    const params = paramTensors(inputs.network, inputs.initialValues);
    const [grad] = summedGradients(inputs.network, params, [0], batches, [D], C);
    const scores = tf.tidy(() => tf.abs(tf.mul(grad!, params[0]!)).dataSync());
    tf.dispose([...params, grad!]);
    scores.forEach((s, k) => expect(s).toBeCloseTo(expected[k]!, 5));
  });

  it('normalises SNIP scores to sum to 1, which keeps the ranking: SNIP and Taylor keep the same weights', async () => {
    const normalised = snipScores([Float32Array.from([1, 3]), Float32Array.from([4])]);
    expect(normalised.map((s) => [...s])).toEqual([[0.125, 0.375], [0.5]]);
    const dataset = tinyDataset(D, C, 600);
    const network = linearNetwork(D, C);
    const snip = await snipMask(maskInputs(network, experiment, dataset));
    const taylor = await taylorMask(maskInputs(network, { ...experiment, mask: 'taylor' }, dataset));
    expect(snip.masks.get('fc.weight')).toEqual(taylor.masks.get('fc.weight'));
    expect(snip.masks.get('fc.weight')!.reduce((a, b) => a + b, 0)).toBe(Math.round(C * D * 0.4));
  });
});
