import * as tf from '@tensorflow/tfjs';
import { makeBatch, type Dataset, type Split } from '../data/dataset';
import type { MaskSet } from '../masks/mask';
import type { ForwardContext, Network, NormMode } from '../models/network';
import { smoothedTargets } from '../tost/label-smoothing';
import type { HostBatch } from '../data/dataset';
import { gradInit, type GradInitHooks, type LrsiOutcome } from '../tost/lrsi';
import type { Recipe } from '../tost/recipe';
import { softTargetCrossEntropy } from './loss';
import { sgdUpdate, type SgdSettings } from './sgd';

export interface Evaluation {
  /** Plain cross-entropy (no smoothing), so both recipes' losses compare. */
  readonly loss: number;
  readonly accuracy: number;
}

/** What one step returns, still on the device: [objective, Σ|w| over all weights]; both finite in a healthy run. */
export type StepHealth = tf.Tensor1D;

const EVAL_CHUNK = 500;

/** The trainable state of one recipe: weights (masked), BatchNorm statistics, momentum buffers; how to step and evaluate them. */
export class RecipeRun {
  private readonly weights: tf.Variable[];
  private readonly momentum: (tf.Variable | null)[];
  private readonly masks: (tf.Tensor | null)[];
  private readonly buffers: tf.Variable[];
  private ghostsRemoved = false;

  constructor(
    readonly recipe: Recipe,
    readonly network: Network,
    initialValues: readonly Float32Array[],
    maskSet: MaskSet,
    private readonly numClasses: number,
    useMomentum: boolean,
  ) {
    this.masks = network.params.map((param) => {
      const mask = maskSet.get(param.name);
      return mask ? tf.tensor(Float32Array.from(mask), param.shape as number[]) : null;
    });
    this.weights = network.params.map((param, i) => {
      const values = initialValues[i]!;
      const mask = maskSet.get(param.name);
      const masked = mask ? values.map((v, j) => (mask[j] ? v : 0)) : values;
      // tidy frees the source tensor; the variable keeps its own copy.
      return tf.tidy(() => tf.variable(tf.tensor(masked, param.shape as number[]), true));
    });
    this.momentum = this.weights.map((w) => (useMomentum ? tf.tidy(() => tf.variable(tf.zerosLike(w), false)) : null));
    this.buffers = network.buffers.map((buffer) => tf.tidy(() => tf.variable(tf.fill(buffer.shape as number[], buffer.initialValue), false)));
  }

  private context(epoch: number, normMode: NormMode, params: readonly tf.Tensor[], updateBuffer?: ForwardContext['updateBuffer']): ForwardContext {
    const ghostScale = this.ghostsRemoved ? 0 : this.recipe.ghostScaleAt(epoch);
    return { activation: this.recipe.activationAt(epoch), normMode, params, buffers: this.buffers, updateBuffer, ghostScale };
  }

  /** Parameters in ghost branches (0 for a network without them, or once they are removed). */
  get ghostParamCount(): number {
    if (this.ghostsRemoved) return 0;
    return this.network.params.reduce((sum, p) => sum + (p.ghost ? p.shape.reduce((a, b) => a * b, 1) : 0), 0);
  }

  get hasRemovedGhosts(): boolean {
    return this.ghostsRemoved;
  }

  /**
   * Once α has reached 0 the ghost branches contribute nothing; free them and
   * leave them out of the gradient, so the model is exactly the masked network.
   */
  private removeGhosts(): void {
    this.ghostsRemoved = true;
    this.network.params.forEach((param, i) => {
      if (!param.ghost) return;
      this.weights[i]!.dispose();
      this.momentum[i]?.dispose();
    });
  }

  /**
   * Narrows the masks during training (gradual magnitude pruning): the new
   * masks replace the old ones and zero the weights and momentum they prune.
   */
  prune(maskSet: MaskSet): void {
    this.network.params.forEach((param, i) => {
      const mask = maskSet.get(param.name);
      if (!mask) return;
      const next = tf.tensor(Float32Array.from(mask), param.shape as number[]);
      this.masks[i]?.dispose();
      this.masks[i] = next;
      tf.tidy(() => {
        this.weights[i]!.assign(tf.mul(this.weights[i]!, next));
        this.momentum[i]?.assign(tf.mul(this.momentum[i]!, next));
      });
    });
  }

  /**
   * One SGD step on a batch. Returns [objective, Σ|w|] so the caller can read
   * the loss and check every weight is finite with a single download.
   */
  step(x: tf.Tensor, labels: tf.Tensor1D, epoch: number, settings: SgdSettings): StepHealth {
    if (!this.ghostsRemoved && this.recipe.ghostSkips && this.recipe.ghostScaleAt(epoch) === 0) this.removeGhosts();
    const trainable = this.network.params.flatMap((param, i) => (this.ghostsRemoved && param.ghost ? [] : [i]));
    return tf.tidy(() => {
      const targets = smoothedTargets(labels, this.numClasses, this.recipe.labelSmoothingAt(epoch));
      const bufferUpdates = new Map<number, tf.Tensor>();
      // valueAndGrads frees what its function creates; the new running statistics must outlive it.
      const keepUpdate = (index: number, value: tf.Tensor) => bufferUpdates.set(index, tf.keep(value));
      const objective = (...args: tf.Tensor[]) => {
        // Removed ghost tensors keep their slots (never read at α = 0) so layer indices stay valid.
        const params: tf.Tensor[] = [...this.weights];
        trainable.forEach((index, k) => (params[index] = args[k]!));
        const context = this.context(epoch, 'train', params, keepUpdate);
        return softTargetCrossEntropy(this.network.forward(x, context), targets);
      };
      const { value, grads } = tf.valueAndGrads(objective)(trainable.map((i) => this.weights[i]!));
      const weightMasses = trainable.map((i, k) => sgdUpdate(this.weights[i]!, grads[k]!, this.momentum[i]!, this.masks[i]!, settings));
      for (const [index, update] of bufferUpdates) {
        this.buffers[index]!.assign(update);
        update.dispose();
      }
      const weightMass = tf.addN(weightMasses);
      return tf.stack([value, weightMass]) as tf.Tensor1D;
    });
  }

  /**
   * LRsI: GradInit on this run's masked initial weights, then θ ← α·θ per
   * tensor. It sees the network as training starts (epoch-0 activation and
   * ghost skips), with BatchNorm on batch statistics and running statistics
   * left alone. Ghost branches take part but keep their values: they are
   * scaffolding that fades out, and the rescaling is of the sparse network.
   * Null when the recipe has no LRsI or GradInit was stopped (weights unchanged).
   */
  async rescaleInitialization(nextBatch: () => HostBatch, inputShape: readonly number[], hooks: GradInitHooks = {}): Promise<LrsiOutcome | null> {
    const settings = this.recipe.lrsi;
    if (!settings) return null;
    const problem = {
      network: this.network,
      inputShape,
      numClasses: this.numClasses,
      initial: this.weights,
      masks: this.masks,
      rescalable: this.network.params.map((param) => !param.ghost),
      context: (params: readonly tf.Tensor[]) => this.context(0, 'batch-stats', params),
    };
    const result = await gradInit(problem, nextBatch, settings, hooks);
    if (!result) return null;
    tf.tidy(() => {
      result.scales.forEach((scale, i) => {
        if (result.rescaled[i]) this.weights[i]!.assign(tf.mul(this.weights[i]!, scale));
      });
    });
    return {
      iterations: settings.iterations,
      constraintSteps: result.constraintSteps,
      objectiveSteps: result.objectiveSteps,
      scales: this.network.params.flatMap((param, i) => (result.rescaled[i] ? [{ name: param.name, role: param.role, scale: result.scales[i]! }] : [])),
    };
  }

  /** Accuracy and plain cross-entropy over a split (BatchNorm in eval mode), with the activation of time `epoch`. */
  async evaluate(dataset: Dataset, split: Split, epoch: number): Promise<Evaluation> {
    const context = this.context(epoch, 'eval', this.weights);
    const partials: tf.Tensor[] = [];
    for (let start = 0; start < split.count; start += EVAL_CHUNK) {
      const count = Math.min(EVAL_CHUNK, split.count - start);
      const indices = Int32Array.from({ length: count }, (_, i) => start + i);
      const batch = makeBatch(dataset, split, indices, null);
      partials.push(
        tf.tidy(() => {
          const x = tf.tensor(batch.x, [count, ...dataset.inputShape]);
          const labels = tf.tensor1d(batch.y, 'int32');
          const logits = this.network.forward(x, context);
          const lossSum = tf.mul(softTargetCrossEntropy(logits, smoothedTargets(labels, this.numClasses, null)), count);
          const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
          return tf.stack([lossSum, correct]);
        }),
      );
    }
    const totals = tf.tidy(() => tf.sum(tf.stack(partials), 0));
    const [lossSum, correct] = await totals.data();
    tf.dispose([totals, ...partials]);
    return { loss: lossSum! / split.count, accuracy: correct! / split.count };
  }

  /** Copies of the current weights, in parameter order (for tests and export). */
  async readWeights(): Promise<Float32Array[]> {
    return Promise.all(this.weights.map(async (w) => (w.isDisposed ? new Float32Array(0) : ((await w.data()) as Float32Array))));
  }

  async readBuffers(): Promise<Float32Array[]> {
    return Promise.all(this.buffers.map(async (b) => (await b.data()) as Float32Array));
  }

  dispose(): void {
    tf.dispose([...this.weights, ...this.buffers, ...this.momentum.filter((b): b is tf.Variable => b !== null)]);
    tf.dispose(this.masks.filter((m): m is tf.Tensor => m !== null));
  }
}
