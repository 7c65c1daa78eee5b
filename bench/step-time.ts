import * as tf from '@tensorflow/tfjs';
import type { ArchitectureId } from '../src/engine/models/catalog';
import { paramSize } from '../src/engine/models/network';
import { buildNetwork } from '../src/engine/models/registry';
import { defaultRecipe } from '../src/engine/tost/recipe';
import { RecipeRun } from '../src/engine/train/recipe-run';
import { Rng } from '../src/engine/train/rng';

export interface Workload {
  readonly name: string;
  readonly arch: ArchitectureId;
  readonly inputShape: readonly number[];
  readonly hidden?: readonly number[];
  readonly width?: number;
  readonly batch: number;
}

export interface StepTiming {
  readonly msPerStep: number;
  readonly imagesPerSecond: number;
}

/**
 * Median time of one training step (forward, backward, masked SGD, loss read
 * back), after warm-up steps that compile kernels. `sparsity` null trains the
 * same network with no masks at all.
 */
export async function timeSteps(workload: Workload, sparsity: number | null, steps: number): Promise<StepTiming> {
  const shape = { inputShape: workload.inputShape, numClasses: 10 };
  const network = buildNetwork(shape, { arch: workload.arch, hidden: workload.hidden ?? [300, 100], width: workload.width ?? 1 });
  const rng = new Rng(1);
  const initial = network.params.map((p) => p.init(rng));
  const masks = new Map<string, Uint8Array>();
  for (const p of network.params) {
    if (sparsity !== null && p.prunable) masks.set(p.name, Uint8Array.from({ length: paramSize(p) }, () => (rng.next() < 1 - sparsity ? 1 : 0)));
  }
  const run = new RecipeRun(defaultRecipe, network, initial, masks, 10, true);
  const x = tf.randomNormal([workload.batch, ...workload.inputShape]);
  const labels = tf.tensor1d(Array.from({ length: workload.batch }, (_, i) => i % 10), 'int32');
  const settings = { lr: 0.01, momentum: 0.9, weightDecay: 2e-4 };
  const step = async () => {
    const health = run.step(x, labels, 0, settings);
    await health.data();
    health.dispose();
  };
  for (let i = 0; i < 2; i++) await step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
  }
  run.dispose();
  tf.dispose([x, labels]);
  times.sort((a, b) => a - b);
  const msPerStep = times[Math.floor(times.length / 2)]!;
  return { msPerStep, imagesPerSecond: (workload.batch * 1000) / msPerStep };
}
