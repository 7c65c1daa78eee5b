import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment, type Experiment } from '../experiment/schema';
import type { ArchitectureId } from '../models/catalog';
import { paramSize, type Network } from '../models/network';
import { buildNetwork } from '../models/registry';
import { relu } from '../nn/activations';
import { drawInitialValues } from '../train/session';
import { RecipeRun } from '../train/recipe-run';
import { ghostSkipScale } from './ghost-skip';
import { tostRecipe } from './recipe';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ghostCount = (net: Network) => net.params.filter((p) => p.ghost).reduce((sum, p) => sum + paramSize(p), 0);

function forward(net: Network, x: tf.Tensor, ghostScale: number): Float32Array {
  return tf.tidy(() => {
    const params = drawInitialValues(net, 7).map((values, i) => tf.tensor(values, net.params[i]!.shape as number[]));
    const buffers = net.buffers.map((b) => tf.fill(b.shape as number[], b.initialValue));
    return net.forward(x, { activation: relu, normMode: 'train', params, buffers, ghostScale }).dataSync() as Float32Array;
  });
}

describe('ghost skip connections', () => {
  it('add the spec\'s 1,228,288 dense parameters to ResNet-18, none of them prunable', () => {
    const plain = buildNetwork({ inputShape: [32, 32, 3], numClasses: 10 }, { arch: 'resnet18', width: 1, hidden: [] });
    const ghost = buildNetwork({ inputShape: [32, 32, 3], numClasses: 10 }, { arch: 'resnet18', width: 1, hidden: [] }, { ghostSkips: true });
    expect(ghostCount(ghost)).toBe(1_228_288);
    expect(ghost.params.length - plain.params.length).toBe(ghost.params.filter((p) => p.ghost).length);
    expect(ghost.params.filter((p) => p.ghost && p.prunable)).toEqual([]);
  });

  it('α decays linearly to 0 at the end epoch and stays there; the reference keeps α = 1', () => {
    const decay = { gscSchedule: 'decay' as const, gscEnd: 10 };
    expect(ghostSkipScale(decay, 0)).toBe(1);
    expect(ghostSkipScale(decay, 5)).toBe(0.5);
    expect(ghostSkipScale(decay, 10)).toBe(0);
    expect(ghostSkipScale(decay, 30)).toBe(0);
    expect(ghostSkipScale({ gscSchedule: 'reference', gscEnd: 10 }, 300)).toBe(1);
  });

  it.each<[ArchitectureId, number[]]>([
    ['resnet20', [8, 8, 3]],
    ['resnet56', [8, 8, 3]],
    ['resnet18', [8, 8, 3]],
    ['vgg16', [16, 16, 3]],
    ['mobilenetv2', [8, 8, 3]],
    ['mlp', [6]],
  ])('%s: with α = 0 the output equals the network without ghosts exactly; with α = 1 it differs', (arch, inputShape) => {
    const shape = { inputShape, numClasses: 3 };
    const options = { arch, width: 1 / 8, hidden: [12, 12, 12] };
    const plain = buildNetwork(shape, options);
    const ghost = buildNetwork(shape, options, { ghostSkips: true });
    expect(ghostCount(ghost) > 0 || arch === 'mlp').toBe(true);
    const x = tf.randomNormal([2, ...inputShape], 0, 1, 'float32', 3);
    const without = forward(plain, x, 0);
    expect(forward(ghost, x, 0)).toEqual(without);
    expect(forward(ghost, x, 1)).not.toEqual(without);
  });

  it('a branch\'s 1×1 weights all start at 1e-4, as the reference fills them', () => {
    const net = buildNetwork({ inputShape: [8, 8, 3], numClasses: 2 }, { arch: 'resnet20', width: 1, hidden: [] }, { ghostSkips: true });
    const weight = net.params.find((p) => p.name === 'layer1.0.jump1.conv_jump.weight')!;
    expect(Array.from(new Set(weight.init(null as never)))).toEqual([Math.fround(1e-4)]);
  });

  it('removes the branches once α reaches 0, freeing their tensors and training on', async () => {
    const experiment: Experiment = { ...defaultExperiment, gsc: true, gscSchedule: 'decay', gscEnd: 1 };
    const shape = { inputShape: [8, 8, 3], numClasses: 3 };
    const net = buildNetwork(shape, { arch: 'resnet20', width: 1 / 8, hidden: [] }, { ghostSkips: true });
    const run = new RecipeRun(tostRecipe(experiment), net, drawInitialValues(net, 1), new Map(), 3, true);
    const x = tf.randomNormal([4, 8, 8, 3]);
    const labels = tf.tensor1d([0, 1, 2, 0], 'int32');
    const settings = { lr: 0.05, momentum: 0.9, weightDecay: 0 };
    tf.dispose(run.step(x, labels, 0.5, settings));
    expect(run.hasRemovedGhosts).toBe(false);
    const before = tf.memory().numTensors;
    const ghostTensors = net.params.filter((p) => p.ghost).length;
    const health = run.step(x, labels, 1, settings);
    expect(Array.from(await health.data()).every(Number.isFinite)).toBe(true);
    health.dispose();
    expect(run.hasRemovedGhosts).toBe(true);
    expect(run.ghostParamCount).toBe(0);
    // Weights and momentum buffers of every ghost tensor are gone.
    expect(tf.memory().numTensors).toBe(before - 2 * ghostTensors);
    tf.dispose(run.step(x, labels, 2, settings));
    expect(tf.memory().numTensors).toBe(before - 2 * ghostTensors);
    run.dispose();
    tf.dispose([x, labels]);
  });
});

describe('label smoothing switched off late', () => {
  it('smooths before the off epoch and not from it on; 0 keeps it for the whole run', () => {
    const late = tostRecipe({ ...defaultExperiment, ls: true, lsOff: 5 });
    expect(late.labelSmoothingAt(4.9)).toEqual({ alpha: 0.1, convention: 'others' });
    expect(late.labelSmoothingAt(5)).toBeNull();
    expect(tostRecipe({ ...defaultExperiment, lsOff: 0 }).labelSmoothingAt(1000)).not.toBeNull();
    expect(tostRecipe({ ...defaultExperiment, ls: false }).labelSmoothingAt(0)).toBeNull();
  });
});
