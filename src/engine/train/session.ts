import * as tf from '@tensorflow/tfjs';
import { deviceError } from '../backend';
import { chanceAccuracy, type Dataset } from '../data/dataset';
import { loadDataset, type LoadContext } from '../data/registry';
import type { Experiment } from '../experiment/schema';
import { MaskCancelled, type MaskProgress, type MaskResult } from '../masks/context';
import { maskStats, type MaskSet } from '../masks/mask';
import { maskWarnings, pictureMasks } from '../masks/mask-picture';
import { computeMask } from '../masks/registry';
import type { Network } from '../models/network';
import { buildNetwork } from '../models/registry';
import type { GradInitIteration, LrsiOutcome } from '../tost/lrsi';
import { pairedRecipes, type RecipeId } from '../tost/recipe';
import { EpochBatches, TrainingBatchStream } from './batch-stream';
import type { SessionInfo } from './events';
import { learningRateAt } from './lr-schedule';
import { RecipeRun, type Evaluation } from './recipe-run';
import { Rng } from './rng';
import { yieldToEventLoop, type RunControl } from './run-control';

/**
 * Each parameter draws from its own stream, named after it, so two networks
 * that share parameter names (Default, and ToST with extra ghost branches) get
 * identical values for those, whatever else they declare.
 */
export function drawInitialValues(network: Network, seed: number): Float32Array[] {
  return network.params.map((param) => param.init(Rng.stream(seed, `init/${param.name}`)));
}

export interface StepOutcome {
  readonly step: number;
  /** Fractional epoch at which the step was taken. */
  readonly epoch: number;
  /** Training objective per active recipe (NaN/Inf when it diverged). */
  readonly losses: ReadonlyMap<RecipeId, number>;
  /** Recipes whose weights became NaN/Inf during this step. */
  readonly nonFiniteWeights: ReadonlySet<RecipeId>;
  readonly batchSize: number;
  /** True when this step finished an epoch. */
  readonly endOfEpoch: boolean;
}

export interface SessionPreparation {
  /** Progress of a mask computation that takes time (training, iterations). */
  readonly onMaskProgress?: (progress: MaskProgress) => void;
  /** Pause and Stop during the mask computation; a stop makes `create` throw MaskCancelled. */
  readonly control?: RunControl;
  /** Remembers masks between runs; none by default (the worker passes a shared one). */
  readonly memo?: { get(experiment: Experiment): MaskResult | undefined; set(experiment: Experiment, result: MaskResult): void };
}

/** Progress reports at most this often while a mask is computed. */
const MASK_REPORT_MS = 100;

async function prepareMask(network: Network, experiment: Experiment, dataset: Dataset, preparation: SessionPreparation): Promise<MaskResult> {
  const remembered = preparation.memo?.get(experiment);
  if (remembered) return remembered;
  const { control, onMaskProgress } = preparation;
  let lastReport = -Infinity;
  const result = await computeMask({
    network,
    experiment,
    dataset,
    initialValues: drawInitialValues(network, experiment.seed),
    report: (progress) => {
      const now = performance.now();
      // Rounds and the end always get through; the rest is throttled.
      if (!progress.round && progress.fraction < 1 && now - lastReport < MASK_REPORT_MS) return;
      lastReport = now;
      onMaskProgress?.(progress);
    },
    checkpoint: async () => {
      if (!control) return;
      await yieldToEventLoop();
      await control.waitWhilePaused();
      if (control.stopped) throw new MaskCancelled();
    },
  });
  preparation.memo?.set(experiment, result);
  return result;
}

export interface RescaleHooks {
  onIteration?(recipe: RecipeId, iteration: GradInitIteration): void | Promise<void>;
  shouldStop?(): boolean;
}

/**
 * Default and ToST trained side by side: one dataset, one mask, one initial
 * draw, one batch order. Each step gathers one batch and gives it to every
 * recipe still active, so the only difference between the runs is the recipe.
 */
export class PairedSession {
  private stepIndex = 0;
  private readonly batches: EpochBatches;
  private readonly active = new Set<RecipeId>();
  private initializationRescaled = false;

  private constructor(
    readonly experiment: Experiment,
    readonly dataset: Dataset,
    readonly network: Network,
    readonly masks: MaskSet,
    readonly runs: ReadonlyMap<RecipeId, RecipeRun>,
    readonly info: SessionInfo,
  ) {
    this.batches = new EpochBatches(dataset, experiment.batchSize, Rng.stream(experiment.seed, 'batches'), Rng.stream(experiment.seed, 'augment'));
    for (const id of runs.keys()) this.active.add(id);
  }

  static async create(experiment: Experiment, context: LoadContext, preparation: SessionPreparation = {}): Promise<PairedSession> {
    const dataset = await loadDataset(experiment, context);
    if (dataset.train.count < experiment.batchSize) {
      throw new Error(`Batch size ${experiment.batchSize} is larger than the ${dataset.train.count} training examples`);
    }
    const network = buildNetwork(dataset, experiment);
    const { masks, startValues } = await prepareMask(network, experiment, dataset, preparation);
    const recipes = pairedRecipes(experiment);
    // A recipe with ghost skips gets its own network (the same one plus dense branches); shared parameters start equal.
    const runs = new Map<RecipeId, RecipeRun>(
      recipes.map((recipe) => {
        const own = recipe.ghostSkips ? buildNetwork(dataset, experiment, { ghostSkips: true }) : network;
        const values = drawInitialValues(own, experiment.seed).map((drawn, i) => startValues?.get(own.params[i]!.name) ?? drawn);
        return [recipe.id, new RecipeRun(recipe, own, values, masks, dataset.numClasses, experiment.momentum > 0)];
      }),
    );
    const stepsPerEpoch = Math.ceil(dataset.train.count / experiment.batchSize);
    const stats = maskStats(network, masks);
    const pictures = pictureMasks(network, masks);
    const info: SessionInfo = {
      numClasses: dataset.numClasses,
      trainCount: dataset.train.count,
      testCount: dataset.test.count,
      stepsPerEpoch,
      totalSteps: stepsPerEpoch * experiment.epochs,
      epochs: experiment.epochs,
      chanceAccuracy: chanceAccuracy(dataset.test, dataset.numClasses),
      totalParams: stats.totalParams,
      keptParams: stats.keptParams,
      layers: stats.layers,
      maskLayers: pictures,
      maskWarnings: maskWarnings(pictures),
      recipes: recipes.map((r) => ({ id: r.id, label: r.label, ghostParams: runs.get(r.id)!.ghostParamCount })),
    };
    return new PairedSession(experiment, dataset, network, masks, runs, info);
  }

  get step(): number {
    return this.stepIndex;
  }

  get finished(): boolean {
    return this.stepIndex >= this.info.totalSteps || this.active.size === 0;
  }

  activeRecipes(): RecipeId[] {
    return [...this.active];
  }

  /** Stops training a recipe (it diverged); the other goes on. */
  deactivate(recipe: RecipeId): void {
    this.active.delete(recipe);
  }

  /**
   * LRsI, once, before the first step: each recipe that asks for it rescales
   * its masked initial weights by GradInit. GradInit draws batches from random
   * streams of its own, so the training batches are the same with or without
   * it. Hosts call this to report progress; trainStep calls it otherwise.
   */
  async rescaleInitialization(hooks: RescaleHooks = {}): Promise<Map<RecipeId, LrsiOutcome>> {
    const outcomes = new Map<RecipeId, LrsiOutcome>();
    if (this.initializationRescaled) return outcomes;
    this.initializationRescaled = true;
    const { experiment, dataset } = this;
    for (const [id, run] of this.runs) {
      if (!run.recipe.lrsi) continue;
      const batches = new TrainingBatchStream(dataset, experiment.batchSize, Rng.stream(experiment.seed, 'lrsi/batches'), Rng.stream(experiment.seed, 'lrsi/augment'));
      const outcome = await run.rescaleInitialization(() => batches.next(), dataset.inputShape, {
        onIteration: (iteration) => hooks.onIteration?.(id, iteration),
        shouldStop: hooks.shouldStop,
      });
      if (outcome) outcomes.set(id, outcome);
    }
    return outcomes;
  }

  /** Trains every active recipe on the next batch. */
  async trainStep(): Promise<StepOutcome> {
    if (!this.initializationRescaled) await this.rescaleInitialization();
    const { experiment, dataset, info } = this;
    const epoch = this.stepIndex / info.stepsPerEpoch;
    const settings = { lr: learningRateAt(experiment, epoch, info.stepsPerEpoch), momentum: experiment.momentum, weightDecay: experiment.weightDecay };

    // One batch (one augmentation draw) for every recipe: only the recipe differs.
    const batch = this.batches.batch(this.stepIndex);
    const x = tf.tensor(batch.x, [batch.y.length, ...dataset.inputShape]);
    const labels = tf.tensor1d(batch.y, 'int32');
    const order = this.activeRecipes();
    const healthTensors = order.map((id) => this.runs.get(id)!.step(x, labels, epoch, settings));
    // One download per step for every recipe: its loss and whether its weights are finite.
    const stacked = tf.stack(healthTensors);
    const values = await stacked.data();
    tf.dispose([x, labels, stacked, ...healthTensors]);
    refuseAfterDeviceError();

    this.stepIndex += 1;
    return {
      step: this.stepIndex,
      epoch,
      losses: new Map(order.map((id, i) => [id, values[2 * i]!])),
      nonFiniteWeights: new Set(order.filter((_, i) => !Number.isFinite(values[2 * i + 1]!))),
      batchSize: batch.y.length,
      endOfEpoch: this.stepIndex % info.stepsPerEpoch === 0,
    };
  }

  /** Test (and validation, when the dataset has one) evaluation of every active recipe at the current time. */
  async evaluate(): Promise<Map<RecipeId, { test: Evaluation; validation: Evaluation | null }>> {
    const epoch = this.stepIndex / this.info.stepsPerEpoch;
    const { dataset } = this;
    const results = new Map<RecipeId, { test: Evaluation; validation: Evaluation | null }>();
    for (const id of this.activeRecipes()) {
      const run = this.runs.get(id)!;
      const test = await run.evaluate(dataset, dataset.test, epoch);
      const validation = dataset.validation ? await run.evaluate(dataset, dataset.validation, epoch) : null;
      results.set(id, { test, validation });
    }
    refuseAfterDeviceError();
    return results;
  }

  dispose(): void {
    for (const run of this.runs.values()) run.dispose();
  }
}

/**
 * A GPU that refused a command reads back zeros for it (a loss of exactly 0,
 * a flat line on the charts) without any exception: after the device
 * reported an error, no number it computes is shown.
 */
function refuseAfterDeviceError(): void {
  const fault = deviceError();
  if (fault) throw new Error(`The GPU device reported an error, so this run stopped (its numbers would be wrong): ${fault}. Another backend (?backend=wasm) avoids it.`);
}
