import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTrainingKernels } from '../kernels/registry';
import { Rng } from '../train/rng';
import { defaultRecipe } from '../tost/recipe';
import { RecipeRun } from '../train/recipe-run';
import { ARCHITECTURES, type ArchitectureId } from './catalog';
import { paramSize, type Network } from './network';
import { buildNetwork } from './registry';

const cifar = (classes: number) => ({ inputShape: [32, 32, 3], numClasses: classes });
const build = (arch: ArchitectureId, classes = 10, width = 1, inputShape = cifar(classes).inputShape) =>
  buildNetwork({ inputShape, numClasses: classes }, { arch, width, hidden: [64] });
const total = (net: Network) => net.params.reduce((sum, p) => sum + paramSize(p), 0);
const convWeights = (net: Network) => net.params.filter((p) => p.role === 'weight' && p.shape.length === 4).reduce((sum, p) => sum + paramSize(p), 0);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('parameter counts at width 1 (from the spec, computed from the reference layer shapes)', () => {
  it.each([
    ['resnet18', 10, 11_173_962, 11_159_232],
    ['resnet18', 100, 11_220_132, 11_159_232],
    ['resnet32', 10, 466_906, 463_792],
    ['resnet32', 100, 472_756, 463_792],
    ['resnet104', 10, 1_611_418, 1_585_072],
    ['resnet104', 100, 1_634_548, 1_585_072],
    ['vgg16', 10, 14_728_266, 14_710_464],
    ['vgg16', 100, 14_774_436, 14_710_464],
  ] as const)('%s with %i classes', (arch, classes, expectedTotal, expectedConv) => {
    const net = build(arch, classes);
    expect(total(net)).toBe(expectedTotal);
    expect(convWeights(net)).toBe(expectedConv);
  });

  it('LeNet-5 on 28×28 MNIST has the classic 61,706 parameters', () => {
    expect(total(build('lenet5', 10, 1, [28, 28, 1]))).toBe(61_706);
  });

  it('MobileNetV2 has torchvision\'s 3,504,872 parameters with 1000 classes', () => {
    expect(total(build('mobilenetv2', 1000))).toBe(3_504_872);
  });

  it('a width multiplier shrinks a network', () => {
    expect(total(build('resnet18', 10, 0.25))).toBeLessThan(total(build('resnet18')) / 10);
  });

  it('convolutional networks refuse 2-D point data with a clear message', () => {
    expect(() => build('resnet20', 3, 1, [2])).toThrow(/needs image data/);
  });
});

// WASM (with the lab's training kernels) runs 40 steps, long enough for momentum and decay to act on every weight many
// times (the deep ResNets make more steps the suite's slowest test); the slow CPU backend a shorter check of the same properties.
const BACKEND_STEPS = [
  ['wasm', 40],
  ['cpu', 12],
] as const;

describe.each(BACKEND_STEPS)('every architecture trains masked on %s', (backend, steps) => {
  beforeAll(async () => {
    registerTrainingKernels();
    expect(await tf.setBackend(backend)).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(ARCHITECTURES.map((a) => a.id))(`%s: pruned weights stay exactly 0 and the tensor count stays flat over ${steps} steps`, (arch) => {
    // The smallest inputs each network takes (VGG's four pools need 16×16), to keep the steps quick.
    const shape = { inputShape: arch === 'mlp' ? [8] : arch === 'vgg16' ? [16, 16, 3] : [8, 8, 3], numClasses: 4 };
    const net = buildNetwork(shape, { arch, width: 1 / 16, hidden: [16, 16] });
    const rng = new Rng(5);
    const initial = net.params.map((p) => p.init(rng));
    // Every weight tensor masked at 50%, first and last layers included.
    const masks = net.params.map((p) => (p.prunable ? Uint8Array.from({ length: paramSize(p) }, () => (rng.next() < 0.5 ? 1 : 0)) : null));
    const maskSet = new Map(net.params.flatMap((p, i) => (masks[i] ? [[p.name, masks[i]!] as const] : [])));
    const run = new RecipeRun(defaultRecipe, net, initial, maskSet, shape.numClasses, true);
    const x = tf.tensor(Array.from({ length: 2 * shape.inputShape.reduce((a, b) => a * b) }, () => rng.normal()), [2, ...shape.inputShape]);
    const labels = tf.tensor1d([0, 3], 'int32');
    const settings = { lr: 0.01, momentum: 0.9, weightDecay: 5e-4 };
    tf.dispose(run.step(x, labels, 0, settings));
    const before = tf.memory().numTensors;
    let health: number[] = [];
    for (let i = 1; i < steps; i++) {
      const step = run.step(x, labels, 0, settings);
      if (i === steps - 1) health = Array.from(step.dataSync());
      step.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(health.every(Number.isFinite)).toBe(true);
    const weights = net.params.map((_, i) => i);
    return run.readWeights().then((values) => {
      for (const i of weights) {
        const mask = masks[i];
        if (!mask) continue;
        mask.forEach((bit, j) => {
          if (!bit) expect(values[i]![j]).toBe(0);
        });
      }
      // Training moved something: the loss is not stuck at its first value.
      expect(values.some((v, i) => v.some((w, j) => w !== (masks[i] && !masks[i]![j] ? 0 : initial[i]![j])))).toBe(true);
      run.dispose();
      tf.dispose([x, labels]);
    });
  }, 240_000);
});

describe('TinyImageNet-sized input', () => {
  beforeAll(async () => {
    registerTrainingKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  // Global average pooling (ResNets, VGG, MobileNetV2) and LeNet-5's flatten sized from the input make every
  // architecture take 64×64 and the downsampled 32×32, so the schema has no dataset/architecture pair to refuse.
  it.each(ARCHITECTURES.flatMap((a) => [[a.id, 64], [a.id, 32]] as const))('%s takes %i-pixel square RGB images and 200 classes, and trains a step', (arch, side) => {
    const shape = { inputShape: [side, side, 3], numClasses: 200 };
    const net = buildNetwork(shape, { arch, width: 1 / 16, hidden: [16] });
    const rng = new Rng(3);
    const run = new RecipeRun(defaultRecipe, net, net.params.map((p) => p.init(rng)), new Map(), shape.numClasses, true);
    const x = tf.randomNormal([2, side, side, 3], 0, 1, 'float32', 1);
    const labels = tf.tensor1d([0, 199], 'int32');
    const health = run.step(x, labels, 0, { lr: 0.01, momentum: 0.9, weightDecay: 5e-4 });
    expect(Array.from(health.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([health, x, labels]);
    run.dispose();
  }, 120_000);

  it('LeNet-5 grows its first dense layer for 64×64 (13×13×16 features) rather than refusing it', () => {
    const fc1 = build('lenet5', 200, 1, [64, 64, 3]).params.find((p) => p.name.startsWith('fc1') && p.role === 'weight')!;
    expect(fc1.shape).toEqual([120, 13 * 13 * 16]);
  });
});
