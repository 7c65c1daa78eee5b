import * as tf from '@tensorflow/tfjs';
import { defaultRecipe } from '../tost/recipe';
import { learningRateAt } from '../train/lr-schedule';
import { RecipeRun } from '../train/recipe-run';
import { EpochBatches } from '../train/batch-stream';
import { Rng } from '../train/rng';
import type { MaskInputs } from './context';
import type { MaskSet } from './mask';

export interface MaskTrainingOptions {
  readonly startValues: readonly Float32Array[];
  readonly masks: MaskSet;
  readonly epochs: number;
  /** Names the random streams of this training (batch order, augmentation), so each phase is reproducible on its own. */
  readonly tag: string;
  /** Progress text, e.g. "Round 2 of 8: training". */
  readonly label: string;
  /** The share of the whole mask computation this training covers. */
  readonly span: readonly [number, number];
  /** Called after every step (GMP prunes here). */
  readonly afterStep?: (run: RecipeRun, step: number, totalSteps: number) => void | Promise<void>;
  /** Called at the end of every epoch, numbered from 1 (rewind points are saved here). */
  readonly afterEpoch?: (run: RecipeRun, epoch: number) => void | Promise<void>;
}

/**
 * Trains the network with the Default recipe and the experiment's shared
 * protocol (its rate schedule stretched over `epochs`): the dense or
 * partly pruned training that OMP, GMP and lottery tickets prune from.
 * Returns the trained run; the caller disposes it.
 */
export async function trainForMask(inputs: MaskInputs, options: MaskTrainingOptions): Promise<RecipeRun> {
  const { network, experiment, dataset, report, checkpoint } = inputs;
  const run = new RecipeRun(defaultRecipe, network, options.startValues, options.masks, dataset.numClasses, experiment.momentum > 0);
  try {
    const batches = new EpochBatches(dataset, experiment.batchSize, Rng.stream(experiment.seed, `mask/${options.tag}/batches`), Rng.stream(experiment.seed, `mask/${options.tag}/augment`));
    const { stepsPerEpoch } = batches;
    const totalSteps = stepsPerEpoch * options.epochs;
    const protocol = { ...experiment, epochs: options.epochs };
    for (let step = 0; step < totalSteps; step++) {
      const epoch = step / stepsPerEpoch;
      const batch = batches.batch(step);
      const x = tf.tensor(batch.x, [batch.y.length, ...dataset.inputShape]);
      const labels = tf.tensor1d(batch.y, 'int32');
      const settings = { lr: learningRateAt(protocol, epoch, stepsPerEpoch), momentum: experiment.momentum, weightDecay: experiment.weightDecay };
      const health = run.step(x, labels, epoch, settings);
      const [loss, mass] = await health.data();
      tf.dispose([x, labels, health]);
      if (!Number.isFinite(loss!) || !Number.isFinite(mass!)) {
        throw new Error(`${options.label}: training diverged at step ${step + 1} (lower the learning rate)`);
      }
      await options.afterStep?.(run, step + 1, totalSteps);
      if ((step + 1) % stepsPerEpoch === 0) await options.afterEpoch?.(run, (step + 1) / stepsPerEpoch);
      const [from, to] = options.span;
      report({ fraction: from + ((to - from) * (step + 1)) / totalSteps, message: `${options.label}: epoch ${Math.floor(epoch) + 1} of ${options.epochs}` });
      await checkpoint();
    }
    return run;
  } catch (error) {
    run.dispose();
    throw error;
  }
}
