import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHelper } from '../../../build/node-gemm-helpers';
import { Rng } from '../train/rng';
import { prepareBackends, randomValues } from './testing/backend-parity';
import { sharedHeapOf } from './tfjs-heap';
import { startGemmThreads, type GemmThreads } from './wasm-gemm/gemm-threads';
import { relaxedGemmPolicy, useRelaxedGemm, type Gemm } from './wasm-gemm/relaxed-gemm';

const STEPS = 4;

type Network = (x: tf.Tensor4D, weights: readonly tf.Variable[]) => tf.Scalar;

/** conv 3×3 → relu → conv 3×3 stride 2 → mean: needs all three dense convolution kernels but the first layer's input gradient. */
const plainCnn: Network = (x, [w1, w2]) =>
  tf.mean(tf.conv2d(tf.relu(tf.conv2d(x, w1 as tf.Variable<tf.Rank.R4>, 1, 'same')), w2 as tf.Variable<tf.Rank.R4>, 2, 'same'));

/**
 * conv 3×3 → relu → conv 3×3 → relu → conv 3×3 stride 2 → mean: with 8×8 images and 8 and 16 channels, the first two
 * layers are Winograd's from 8 channels on (forward, filter gradients, and the second's input gradient).
 */
const winogradCnn: Network = (x, [w1, w2, w3]) => {
  const h1 = tf.relu(tf.conv2d(x, w1 as tf.Variable<tf.Rank.R4>, 1, 'same'));
  const h2 = tf.relu(tf.conv2d(h1, w2 as tf.Variable<tf.Rank.R4>, 1, 'same'));
  return tf.mean(tf.conv2d(h2, w3 as tf.Variable<tf.Rank.R4>, 2, 'same'));
};

/** conv 3×3 → relu6 → depthwise 3×3 stride 2, padding 1 → conv 1×1 → mean, as in a MobileNetV2 block. */
const mobileNetBlock: Network = (x, [w1, depthwise, w2]) => {
  const expanded = tf.relu6(tf.conv2d(x, w1 as tf.Variable<tf.Rank.R4>, 1, 'same'));
  const filtered = tf.depthwiseConv2d(expanded, depthwise as tf.Variable<tf.Rank.R4>, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  return tf.mean(tf.conv2d(filtered, w2 as tf.Variable<tf.Rank.R4>, 1, 'valid'));
};

interface Training {
  readonly losses: number[];
  /** tf.memory().numTensors before training, then after each step. */
  readonly tensorCounts: number[];
  /** The backend's buffer count at the same times; it also sees data no Tensor refers to. */
  readonly bufferCounts: number[];
}

async function train(backend: 'wasm' | 'cpu', network: Network, weightShapes: readonly number[][], inputShape: [number, number, number, number] = [4, 8, 8, 2]): Promise<Training> {
  await tf.setBackend(backend);
  const rng = new Rng(7);
  const x = tf.tensor4d(randomValues(inputShape, rng), inputShape);
  const weights = weightShapes.map((shape) => tf.variable(tf.mul(tf.tensor(randomValues(shape, rng), shape), 0.5)));
  const optimizer = tf.train.sgd(0.05);
  const losses: number[] = [];
  const tensorCounts = [tf.memory().numTensors];
  const bufferCounts = [tf.engine().backend.numDataIds()];
  for (let step = 0; step < STEPS; step++) {
    const loss = optimizer.minimize(() => network(x, weights), true, weights);
    if (loss === null) throw new Error('minimize returned no loss');
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
    tensorCounts.push(tf.memory().numTensors);
    bufferCounts.push(tf.engine().backend.numDataIds());
  }
  optimizer.dispose();
  tf.dispose([x, ...weights]);
  return { losses, tensorCounts, bufferCounts };
}

describe('training a small CNN on wasm', () => {
  beforeAll(prepareBackends);

  it.each([
    { name: 'conv → relu → conv stride 2 → mean', network: plainCnn, shapes: [[3, 3, 2, 4], [3, 3, 4, 3]] },
    { name: 'conv → relu6 → depthwise stride 2 → conv 1×1 → mean', network: mobileNetBlock, shapes: [[3, 3, 2, 4], [3, 3, 4, 1], [1, 1, 4, 3]] },
  ])('$name: lowers the loss like the CPU backend, step for step, with a flat tensor count', async ({ network, shapes }) => {
    const wasm = await train('wasm', network, shapes);
    const cpu = await train('cpu', network, shapes);
    expect(wasm.losses.at(-1)!).toBeLessThan(wasm.losses[0]!);
    const scale = Math.abs(cpu.losses[0]!);
    wasm.losses.forEach((loss, step) => expect(Math.abs(loss - cpu.losses[step]!)).toBeLessThan(1e-4 * scale));
    expect(new Set(wasm.tensorCounts).size).toBe(1);
    // tfjs itself keeps a few buffers from the first step on (the CPU backend
    // does the same); after that, nothing may accumulate.
    expect(new Set(wasm.bufferCounts.slice(1)).size).toBe(1);
  });
});

describe.each([
  { where: 'a memory of its own', onHeap: false },
  { where: 'tfjs’s shared heap, tensors read and written in place', onHeap: true },
])('training a small CNN on wasm with the product on helper threads, in $where', ({ onHeap }) => {
  const policy = { ...relaxedGemmPolicy };
  let threads: GemmThreads;
  let previous: Gemm | null;

  beforeAll(async () => {
    await prepareBackends();
    // Every convolution, however small, on the product and split over three threads; Winograd's from 8 channels on.
    Object.assign(relaxedGemmPolicy, { minWork: 0, minThreadedWork: 0, winogradFromChannels: 8 });
    const heap = onHeap ? sharedHeapOf(tf.findBackend('wasm')) : null;
    if (onHeap) expect(heap).not.toBeNull();
    threads = startGemmThreads(2, startNodeHelper, { heap })!;
    await threads.ready();
    previous = useRelaxedGemm(threads.gemm);
  });
  afterAll(() => {
    useRelaxedGemm(previous);
    threads.stop();
    Object.assign(relaxedGemmPolicy, policy);
  });

  it.each([
    { name: 'frames and im2col', network: plainCnn, shapes: [[3, 3, 8, 16], [3, 3, 16, 12]], inputShape: [6, 10, 10, 8] as [number, number, number, number] },
    { name: 'Winograd', network: winogradCnn, shapes: [[3, 3, 8, 16], [3, 3, 16, 16], [3, 3, 16, 12]], inputShape: [6, 8, 8, 8] as [number, number, number, number] },
  ])('lowers the loss like the CPU backend, step for step, with a flat tensor count ($name)', async ({ network, shapes, inputShape }) => {
    const wasm = await train('wasm', network, shapes, inputShape);
    const cpu = await train('cpu', network, shapes, inputShape);
    expect(threads.lanes()).toBe(3);
    expect(wasm.losses.at(-1)!).toBeLessThan(wasm.losses[0]!);
    const scale = Math.abs(cpu.losses[0]!);
    wasm.losses.forEach((loss, step) => expect(Math.abs(loss - cpu.losses[step]!)).toBeLessThan(1e-4 * scale));
    expect(new Set(wasm.tensorCounts).size).toBe(1);
    expect(new Set(wasm.bufferCounts.slice(1)).size).toBe(1);
  });
});
