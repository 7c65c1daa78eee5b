import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment, type Experiment } from '../experiment/schema';
import { buildNetwork } from '../models/registry';
import { GRASP_TEMPERATURE, graspMask, graspScores } from './grasp';
import { hessianVectorProduct } from '../train/hessian-vector';
import { linearNetwork, softmaxRows, tinyDataset } from './linear-network.test-support';
import { maskInputs } from './mask-inputs.test-support';
import { paramTensors, pruningBatches, summedGradients } from './scoring';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const experiment: Experiment = { ...defaultExperiment, mask: 'grasp', sparsity: 0.5, denseLayers: 'none', seed: 11 };

describe('Hessian-vector product', () => {
  it('is exact on a quadratic', () => {
    // L(θ) = ½ θᵀAθ has gradient Aθ and Hessian A.
    const A = tf.tensor2d([
      [2, 1, 0],
      [1, 3, -1],
      [0, -1, 4],
    ]);
    const gradient = (at: readonly tf.Tensor[]) => [tf.matMul(A, at[0]!.reshape([3, 1])).reshape([3])];
    const [hv] = tf.tidy(() => hessianVectorProduct(gradient, [tf.tensor1d([0.5, -1, 2])], [tf.tensor1d([1, 2, -1])]));
    const values = [...hv!.dataSync()];
    [4, 8, -6].forEach((expected, i) => expect(values[i]).toBeCloseTo(expected, 3));
    tf.dispose([A, hv!]);
  });

  it('is symmetric on a ReLU MLP: uᵀ(Hv) = vᵀ(Hu)', () => {
    const dataset = tinyDataset(4, 3, 60);
    const network = buildNetwork({ inputShape: [4], numClasses: 3 }, { arch: 'mlp', hidden: [6, 5], width: 1 });
    const inputs = maskInputs(network, experiment, dataset);
    const params = paramTensors(network, inputs.initialValues);
    const indices = [0, 2, 4];
    const batches = pruningBatches(dataset, 1);
    const gradient = (at: readonly tf.Tensor[]) =>
      summedGradients(network, params.map((p, i) => at[indices.indexOf(i)] ?? p), indices, batches, [4], 3);
    const theta = indices.map((i) => params[i]!);
    const u = theta.map((t, k) => tf.randomNormal(t.shape, 0, 1, 'float32', 5 + k));
    const v = theta.map((t, k) => tf.randomNormal(t.shape, 0, 1, 'float32', 50 + k));
    const dot = (a: readonly tf.Tensor[], b: readonly tf.Tensor[]) => a.reduce((sum, t, k) => sum + tf.sum(tf.mul(t, b[k]!)).dataSync()[0]!, 0);
    const hv = tf.tidy(() => hessianVectorProduct(gradient, theta, v));
    const hu = tf.tidy(() => hessianVectorProduct(gradient, theta, u));
    const uHv = dot(u, hv);
    const vHu = dot(v, hu);
    expect(Math.abs(uHv)).toBeGreaterThan(1e-3);
    expect(Math.abs(uHv - vHu)).toBeLessThan(1e-2 * Math.abs(uHv));
    tf.dispose([...params, ...u, ...v, ...hv, ...hu]);
  });
});

describe('GraSP', () => {
  it('scores θ ⊙ Hḡ / |Σ θ ⊙ Hḡ| at temperature 200, as derived by hand for softmax regression', async () => {
    const D = 4;
    const C = 3;
    const dataset = tinyDataset(D, C, 90);
    const inputs = maskInputs(linearNetwork(D, C), experiment, dataset);
    const W = [...inputs.initialValues[0]!];
    const T = GRASP_TEMPERATURE;
    const batch = pruningBatches(dataset, experiment.seed)[0]!;
    const xs = Array.from({ length: batch.y.length }, (_, i) => [...batch.x.subarray(i * D, (i + 1) * D)]);
    const probs = softmaxRows(xs.map((x) => Array.from({ length: C }, (_, c) => x.reduce((s, v, d) => s + (v * W[c * D + d]!) / T, 0))));
    // ḡ = (1/n) Σ_i (p_i − y_i) x_iᵀ / T
    const g = new Array<number>(C * D).fill(0);
    probs.forEach((p, i) => {
      for (let c = 0; c < C; c++) for (let d = 0; d < D; d++) g[c * D + d]! += ((p[c]! - (batch.y[i] === c ? 1 : 0)) * xs[i]![d]!) / T / batch.y.length;
    });
    // Hḡ = (1/n) Σ_i [J_i (ḡ x_i)] x_iᵀ / T², J = diag(p) − p pᵀ
    const hg = new Array<number>(C * D).fill(0);
    probs.forEach((p, i) => {
      const u = Array.from({ length: C }, (_, c) => xs[i]!.reduce((s, v, d) => s + g[c * D + d]! * v, 0));
      const pu = p.reduce((s, pc, c) => s + pc * u[c]!, 0);
      for (let c = 0; c < C; c++) {
        const ju = p[c]! * (u[c]! - pu);
        for (let d = 0; d < D; d++) hg[c * D + d]! += (ju * xs[i]![d]!) / (T * T) / batch.y.length;
      }
    });
    const raw = W.map((w, k) => w * hg[k]!);
    const total = Math.abs(raw.reduce((a, b) => a + b, 0)) + 1e-10;
    const expected = raw.map((s) => s / total);
    const { scores } = await graspScores(inputs);
    const scale = Math.max(...expected.map(Math.abs));
    scores[0]!.forEach((s, k) => expect(Math.abs(s - expected[k]!)).toBeLessThan(5e-3 * scale));
    // Signed scores: the mask keeps the largest, not the largest magnitude.
    const { masks } = await graspMask(inputs);
    const mask = masks.get('fc.weight')!;
    const keptMin = Math.min(...expected.filter((_, k) => mask[k]));
    const prunedMax = Math.max(...expected.filter((_, k) => !mask[k]));
    expect(keptMin).toBeGreaterThanOrEqual(prunedMax - 2e-2 * scale);
    expect(expected.some((s) => s < 0)).toBe(true);
  });

  it('leaves no tensor behind on a convolutional network with BatchNorm', async () => {
    const network = buildNetwork({ inputShape: [8, 8, 3], numClasses: 4 }, { arch: 'resnet20', hidden: [], width: 0.25 });
    const size = 8 * 8 * 3;
    const x = Float32Array.from({ length: 40 * size }, (_, i) => Math.sin(i));
    const y = Int32Array.from({ length: 40 }, (_, i) => i % 4);
    const split = { x, y, count: 40 };
    const dataset = { id: 'img', inputShape: [8, 8, 3], numClasses: 4, train: split, validation: null, test: split };
    const before = tf.memory().numTensors;
    const { masks } = await graspMask(maskInputs(network, experiment, dataset));
    expect(tf.memory().numTensors).toBe(before);
    const kept = [...masks.values()].reduce((sum, m) => sum + m.reduce((a, b) => a + b, 0), 0);
    const total = [...masks.values()].reduce((sum, m) => sum + m.length, 0);
    expect(kept).toBe(Math.round(total * 0.5));
  });
});
