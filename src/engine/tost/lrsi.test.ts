import * as tf from '@tensorflow/tfjs';
import { hessianVectorProduct } from '../train/hessian-vector';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import { makeSynthetic } from '../data/synthetic';
import { buildMlp } from '../models/mlp';
import type { Network } from '../models/network';
import { batchNorm } from '../nn/batch-norm';
import { NetworkBuilder } from '../nn/builder';
import { conv2d } from '../nn/conv';
import { dense } from '../nn/masked-dense';
import { globalAveragePool } from '../nn/pooling';
import { relu, swish, type ActivationFn } from '../nn/activations';
import { TrainingBatchStream } from '../train/batch-stream';
import { Rng } from '../train/rng';
import { drawInitialValues } from '../train/session';
import {
  GRADINIT_GRAD_CLIP,
  gradInit,
  gradInitMeasures,
  gradientNormSlopes,
  scaleFloor,
  type GradInitProblem,
  type GradInitSettings,
} from './lrsi';
import type { HostBatch } from '../data/dataset';

const README: GradInitSettings = { iterations: 180, lr: 0.01, eta: 0.1, gamma: 1, minScale: 0.01, gradClip: GRADINIT_GRAD_CLIP, gradient: 'masked' };

/** conv 3×3 (4) → BN → act → conv 3×3 (6, pruned to half) → BN → act → global pool → linear. */
function tinyConvNet(numClasses: number): Network {
  const builder = new NetworkBuilder();
  const conv1 = conv2d(builder, 'conv1', { inChannels: 1, outChannels: 4, kernel: 3, position: 'first' });
  const bn1 = batchNorm(builder, 'bn1', 4, 'first');
  const conv2 = conv2d(builder, 'conv2', { inChannels: 4, outChannels: 6, kernel: 3, stride: 2 });
  const bn2 = batchNorm(builder, 'bn2', 6);
  const fc = dense(builder, 'fc', 6, numClasses, { position: 'last' });
  return {
    params: builder.params,
    buffers: builder.buffers,
    forward(x, context) {
      let h = context.activation(bn1(conv1(x as tf.Tensor4D, context), context)) as tf.Tensor4D;
      h = context.activation(bn2(conv2(h, context), context)) as tf.Tensor4D;
      return fc(globalAveragePool(h), context);
    },
  };
}

/** 8×8 grey images: class 0 bright on the left, 1 bright on the right, 2 bright at the top, plus noise. */
function tinyImages(count: number, seed: number): Dataset {
  const rng = Rng.stream(seed, 'images');
  const x = new Float32Array(count * 64);
  const y = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 3;
    y[n] = label;
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++) {
        const bright = label === 0 ? c < 4 : label === 1 ? c >= 4 : r < 4;
        x[n * 64 + r * 8 + c] = (bright ? 1 : 0) + 0.5 * rng.normal();
      }
    }
  }
  const split = { x, y, count };
  return { id: 'tiny-images', inputShape: [8, 8, 1], numClasses: 3, train: split, validation: null, test: split };
}

interface Setup {
  problem: GradInitProblem;
  dataset: Dataset;
  stream: (seed: number) => () => HostBatch;
  dispose: () => void;
}

/** A GradInit problem over a network's seeded initial draw, with half of every prunable hidden weight masked. */
function setup(network: Network, dataset: Dataset, activation: ActivationFn, options: { mask?: boolean; batchSize: number }): Setup {
  const values = drawInitialValues(network, 5);
  const maskRng = Rng.stream(5, 'test-mask');
  const masks = network.params.map((param, i) => {
    if (!options.mask || !param.prunable || param.position !== 'hidden') return null;
    const bits = Float32Array.from(values[i]!, () => (maskRng.next() < 0.5 ? 1 : 0));
    values[i] = values[i]!.map((v, j) => v * bits[j]!);
    return tf.tensor(bits, param.shape as number[]);
  });
  const initial = network.params.map((param, i) => tf.tensor(values[i]!, param.shape as number[]));
  const buffers = network.buffers.map((b) => tf.fill(b.shape as number[], b.initialValue));
  const problem: GradInitProblem = {
    network,
    inputShape: dataset.inputShape,
    numClasses: dataset.numClasses,
    initial,
    masks,
    rescalable: network.params.map(() => true),
    context: (params) => ({ activation, normMode: 'batch-stats', params, buffers, ghostScale: 0 }),
  };
  const stream = (seed: number) => {
    const batches = new TrainingBatchStream(dataset, options.batchSize, Rng.stream(seed, 'order'), Rng.stream(seed, 'augment'));
    return () => batches.next();
  };
  return { problem, dataset, stream, dispose: () => tf.dispose([...initial, ...buffers, ...masks.filter((m): m is tf.Tensor => m !== null)]) };
}

const spirals = makeSynthetic({ kind: 'spirals', samples: 600, noise: 0.1, testFraction: 0.25, valFraction: 0, seed: 3 });
const mlpSetup = (activation: ActivationFn = relu, mask = true) =>
  setup(buildMlp({ inputShape: [2], numClasses: 3 }, [32, 32, 32]), spirals, activation, { mask, batchSize: 32 });
// Small batches: the CPU backend's convolutions are slow.
const convSetup = (activation: ActivationFn = relu) => setup(tinyConvNet(3), tinyImages(300, 4), activation, { mask: true, batchSize: 12 });

/** Fixed evaluation batches, distinct from GradInit's own draws: S (two batches) and S̃ (the first again, and a third). */
function evaluationBatches(next: () => HostBatch): { s: HostBatch[]; sTilde: HostBatch[] } {
  const a = [next(), next(), next()];
  const b = [next(), next(), next()];
  const c = [next(), next(), next()];
  return { s: [...a, ...b], sTilde: [...a, ...c] };
}

let cleanup: (() => void) | null = null;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  cleanup?.();
  cleanup = null;
});

describe('GradInit (LRsI)', () => {
  it.each([
    // Spirals start near chance: one step of size η can only lower the loss a little, so the objective can only fall a little.
    ['an MLP', () => mlpSetup(), 0.98],
    ['a conv + BatchNorm net', () => convSetup(), 0.95],
  ] as const)('lowers its look-ahead objective on %s', async (_, make, factor) => {
    const { problem, stream, dispose } = make();
    cleanup = dispose;
    // A loose γ so that every step is an objective step (the constraint is tested on its own below).
    const settings = { ...README, iterations: 40, lr: 0.05, gamma: 100 };
    const { s, sTilde } = evaluationBatches(stream(99));
    const ones = problem.initial.map(() => 1);
    const before = await gradInitMeasures(problem, ones, s, sTilde, settings);
    const result = await gradInit(problem, stream(1), settings);
    expect(result!.objectiveSteps).toBe(40);
    const after = await gradInitMeasures(problem, result!.scales, s, sTilde, settings);
    expect(after.objective).toBeLessThan(before.objective * factor);
    // Adam moves each scale by about lr per iteration at most.
    expect(result!.scales.some((a) => Math.abs(a - 1) > 0.2)).toBe(true);
    for (const a of result!.scales) expect(Math.abs(a - 1)).toBeLessThan(40 * 0.05 * 1.5);
  });

  it('brings the gradient norm down to γ with constraint steps', async () => {
    const { problem, stream, dispose } = mlpSetup();
    cleanup = dispose;
    const { s, sTilde } = evaluationBatches(stream(99));
    const before = await gradInitMeasures(problem, problem.initial.map(() => 1), s, sTilde, README);
    const gamma = before.gradNorm / 2;
    const result = await gradInit(problem, stream(1), { ...README, iterations: 80, gamma });
    expect(result!.constraintSteps).toBeGreaterThan(0);
    const after = await gradInitMeasures(problem, result!.scales, s, sTilde, README);
    // It then hovers around γ, alternating the two kinds of step.
    expect(after.gradNorm).toBeLessThan(gamma * 1.25);
  });

  it('keeps weights and BN γ at or above min_scale and biases at or above 0, where the objective pulls them lower', async () => {
    const { problem, stream, dispose } = convSetup();
    cleanup = dispose;
    // Convs followed by BatchNorm shrink: their output is renormalised, and smaller weights get larger gradients.
    const minScale = 0.5;
    const result = await gradInit(problem, stream(1), { ...README, iterations: 30, lr: 0.05, gamma: 100, minScale });
    problem.network.params.forEach((param, i) => {
      expect(result!.scales[i]).toBeGreaterThanOrEqual(scaleFloor(param.role, minScale));
    });
    const floored = problem.network.params.filter((_, i) => result!.scales[i] === minScale).map((p) => p.name);
    expect(floored).toContain('conv1.weight');
  });

  it('skips tensors with zero norm (BN β at init) and tensors it is told not to rescale', async () => {
    const { problem, stream, dispose } = convSetup();
    cleanup = dispose;
    const params = problem.network.params;
    const fixed = params.findIndex((p) => p.name === 'conv1.weight');
    const result = await gradInit({ ...problem, rescalable: params.map((_, i) => i !== fixed) }, stream(1), { ...README, iterations: 10 });
    params.forEach((param, i) => {
      const skipped = param.role === 'bn-bias' || i === fixed;
      expect(result!.rescaled[i]).toBe(!skipped);
      if (skipped) expect(result!.scales[i]).toBe(1);
    });
  });

  it.each([
    ['objective', 100],
    ['constraint', 0],
  ] as const)('leaves no tensor behind in %s steps: the count is the same after every iteration and after the run', async (kind, gamma) => {
    const { problem, stream, dispose } = convSetup();
    cleanup = dispose;
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const result = await gradInit(problem, stream(1), { ...README, iterations: 6, gamma }, {
      onIteration: (it) => {
        counts.push(tf.memory().numTensors);
        expect(it.step).toBe(kind);
      },
    });
    expect(counts).toEqual(counts.map(() => before));
    expect(counts.length).toBe(6);
    expect(tf.memory().numTensors).toBe(before);
    expect(result!.scales.some((a) => a !== 1)).toBe(true);
  });

  it('reports every iteration, and stops when asked, releasing its tensors', async () => {
    const { problem, stream, dispose } = mlpSetup();
    cleanup = dispose;
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const result = await gradInit(problem, stream(1), { ...README, iterations: 20 }, {
      onIteration: (it) => {
        seen.push(it.iteration);
        expect(it.iterations).toBe(20);
        expect(Number.isFinite(it.loss) && Number.isFinite(it.gradNorm)).toBe(true);
        expect(it.objective === null).toBe(it.step === 'constraint');
      },
      shouldStop: () => seen.length === 4,
    });
    expect(result).toBeNull();
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic for the same batches', async () => {
    const { problem, stream, dispose } = mlpSetup();
    cleanup = dispose;
    const first = await gradInit(problem, stream(1), { ...README, iterations: 15 });
    const second = await gradInit(problem, stream(1), { ...README, iterations: 15 });
    expect(second!.scales).toEqual(first!.scales);
  });
});

describe('the constraint step\'s Hessian-vector product', () => {
  it('is exact for a cubic, where a central difference has no truncation error', () => {
    // f(θ) = Σ θᵢ³/3 + (a·θ)²  ⇒  H·v = 2θ⊙v + 2a(a·v).
    const theta = [0.5, -1.2, 2, 0.3];
    const a = [1, 0.5, -0.25, 2];
    const v = [0.3, -0.4, 0.1, 0.8];
    const dot = (p: number[], q: number[]) => p.reduce((s, x, i) => s + x * q[i]!, 0);
    const expected = theta.map((t, i) => 2 * t * v[i]! + 2 * a[i]! * dot(a, v));
    const product = tf.tidy(() => {
      const aT = tf.tensor1d(a);
      const f = (t: tf.Tensor) => tf.add(tf.div(tf.sum(tf.pow(t, 3)), 3), tf.square(tf.sum(tf.mul(aT, t)))) as tf.Scalar;
      const gradient = (params: readonly tf.Tensor[]) => [tf.grad(f)(params[0]!)];
      return hessianVectorProduct(gradient, [tf.tensor1d(theta)], [tf.tensor1d(v)], 1e-2)[0]!.dataSync();
    });
    Array.from(product).forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 3));
  });

  it.each([
    ['an MLP, masked gradient', () => mlpSetup(swish), 'masked'],
    ['an MLP, dense gradient', () => mlpSetup(swish), 'dense'],
    ['a conv + BatchNorm net', () => convSetup(swish), 'masked'],
  ] as const)('gives ∂‖g‖/∂α matching finite differences of ‖g‖ on %s', async (_, make, gradient) => {
    const { problem, stream, dispose } = make();
    cleanup = dispose;
    const next = stream(7);
    const s = [next(), next()];
    const scales = problem.initial.map((_, i) => 1 + 0.05 * Math.sin(i));
    const slopes = await gradientNormSlopes(problem, scales, s, gradient);
    const h = 5e-3;
    const normAt = async (shifted: number[]) => (await gradInitMeasures(problem, shifted, s, s, { eta: 0.1, gradient })).gradNorm;
    let compared = 0;
    for (let i = 0; i < scales.length; i++) {
      // BN β starts at 0: its scale does nothing.
      if (problem.network.params[i]!.role === 'bn-bias') continue;
      const up = await normAt(scales.map((a, j) => (j === i ? a + h : a)));
      const down = await normAt(scales.map((a, j) => (j === i ? a - h : a)));
      const numeric = (up - down) / (2 * h);
      expect(Math.abs(slopes[i]! - numeric)).toBeLessThan(0.03 * Math.abs(numeric) + 2e-3);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(6);
    // The slopes are not all ~0, so the comparison above says something.
    expect(Math.max(...slopes.map(Math.abs))).toBeGreaterThan(0.02);
  });
});
