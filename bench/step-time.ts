import * as tf from '@tensorflow/tfjs';
import { paramSize } from '../src/engine/models/network';
import { buildNetwork } from '../src/engine/models/registry';
import { defaultRecipe } from '../src/engine/tost/recipe';
import { RecipeRun } from '../src/engine/train/recipe-run';
import { Rng } from '../src/engine/train/rng';
import { minimumWarmUpMs, type Workload } from './workloads';

export interface StepTiming {
  readonly msPerStep: number;
  readonly imagesPerSecond: number;
}

export interface PairTiming {
  readonly unmasked: StepTiming;
  /** With a random mask of `sparsity` on every prunable weight. */
  readonly masked: StepTiming;
  /**
   * Masked over unmasked step time: the median of the ratios of steps timed
   * back to back (so a change of load between pairs cancels out), or of the
   * two medians when the runs were timed one after the other.
   */
  readonly maskedOverUnmasked: number;
  readonly paired: boolean;
}

export function trainingRun(workload: Workload, sparsity: number | null): RecipeRun {
  const shape = { inputShape: workload.inputShape, numClasses: 10 };
  const network = buildNetwork(shape, { arch: workload.arch, hidden: workload.hidden ?? [300, 100], width: 1 });
  const rng = new Rng(1);
  const initial = network.params.map((p) => p.init(rng));
  const masks = new Map<string, Uint8Array>();
  for (const p of network.params) {
    if (sparsity !== null && p.prunable) masks.set(p.name, Uint8Array.from({ length: paramSize(p) }, () => (rng.next() < 1 - sparsity ? 1 : 0)));
  }
  return new RecipeRun(defaultRecipe, network, initial, masks, 10, true);
}

const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

/** A fixed random batch and a function timing one training step of a run on it (ms). */
function stepper(workload: Workload) {
  const x = tf.randomNormal([workload.batch, ...workload.inputShape]);
  const labels = tf.tensor1d(Array.from({ length: workload.batch }, (_, i) => i % 10), 'int32');
  const settings = { lr: 0.01, momentum: 0.9, weightDecay: 2e-4 };
  return {
    async step(run: RecipeRun): Promise<number> {
      const start = performance.now();
      const health = run.step(x, labels, 0, settings);
      const [loss, weightMass] = await health.data();
      const time = performance.now() - start;
      health.dispose();
      // A backend that lost its device (a GPU out of memory) returns zeros at once: that is no step to time.
      if (!(loss! > 0 && Number.isFinite(loss) && weightMass! > 0 && Number.isFinite(weightMass))) {
        throw new Error(`the step computed nothing usable (loss ${loss}, Σ|w| ${weightMass})`);
      }
      return time;
    },
    dispose: () => tf.dispose([x, labels]),
  };
}

/** Runs `step` at least `steps` times and for at least the workload's minimum warm-up time. */
async function warmUp(workload: Workload, steps: number, step: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  const minimum = minimumWarmUpMs(workload);
  for (let i = 0; i < steps || performance.now() - start < minimum; i++) await step();
}

const timing = (workload: Workload, ms: number): StepTiming => ({ msPerStep: ms, imagesPerSecond: (workload.batch * 1000) / ms });

/** Median time of one training step of one run (`sparsity` null: no masks at all), after warm-up (warmUp). */
export async function timeSteps(workload: Workload, sparsity: number | null, steps: number, warmup: number): Promise<StepTiming> {
  const run = trainingRun(workload, sparsity);
  const batch = stepper(workload);
  try {
    await warmUp(workload, warmup, () => batch.step(run));
    const times: number[] = [];
    for (let i = 0; i < steps; i++) times.push(await batch.step(run));
    return timing(workload, median(times));
  } finally {
    run.dispose();
    batch.dispose();
  }
}

/**
 * Median time of one training step (forward, backward, masked SGD with
 * momentum and weight decay, loss read back) of the same network unmasked and
 * masked, after warm-up steps that compile kernels. For their ratio the two
 * alternate step by step, so a change in the machine's load hits both alike
 * and the ratio stays meaningful on a busy machine. Their images per second
 * come from steps of each network alone afterwards, as PyTorch's are timed:
 * alternating, each step finds the caches full of the other network (the
 * MLP's unmasked step measured 2.78 ms alternating, 2.58 ms alone).
 * `oneAtATime` times them one after the other only, with only one network in
 * memory (ResNet-18 at batch 128 needs most of WASM's 4 GB by itself).
 */
export async function timeMaskedAndUnmasked(workload: Workload, sparsity: number, steps: number, warmup: number, oneAtATime = false): Promise<PairTiming> {
  if (oneAtATime) {
    const unmasked = await timeSteps(workload, null, steps, warmup);
    const masked = await timeSteps(workload, sparsity, steps, warmup);
    return { unmasked, masked, maskedOverUnmasked: masked.msPerStep / unmasked.msPerStep, paired: false };
  }
  const runs = [trainingRun(workload, null), trainingRun(workload, sparsity)];
  const batch = stepper(workload);
  try {
    await warmUp(workload, warmup, async () => {
      for (const run of runs) await batch.step(run);
    });
    const times: number[][] = [[], []];
    for (let i = 0; i < steps; i++) {
      // Alternate which goes first, so neither always follows the other.
      for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) times[k]!.push(await batch.step(runs[k]!));
    }
    const ratios = times[1]!.map((masked, i) => masked / times[0]![i]!);
    const alone: number[][] = [[], []];
    for (const k of [0, 1]) for (let i = 0; i < steps; i++) alone[k]!.push(await batch.step(runs[k]!));
    return { unmasked: timing(workload, median(alone[0]!)), masked: timing(workload, median(alone[1]!)), maskedOverUnmasked: median(ratios), paired: true };
  } finally {
    for (const run of runs) run.dispose();
    batch.dispose();
  }
}
