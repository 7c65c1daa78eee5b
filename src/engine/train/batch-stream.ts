import { makeBatch, type Dataset } from '../data/dataset';
import type { HostBatch } from '../data/dataset';
import type { Rng } from './rng';

/**
 * The training batches of a run, epoch by epoch: a fresh shuffle each epoch,
 * the last batch keeping the remainder (PyTorch's drop_last=False), one
 * augmentation draw per batch. Steps are asked for in order, from 0.
 */
export class EpochBatches {
  readonly stepsPerEpoch: number;
  private order: Int32Array = new Int32Array(0);
  private nextStep = 0;

  constructor(
    private readonly dataset: Dataset,
    private readonly batchSize: number,
    private readonly orderRng: Rng,
    private readonly augmentRng: Rng,
  ) {
    if (dataset.train.count === 0) throw new Error('No training examples to draw batches from');
    this.stepsPerEpoch = Math.ceil(dataset.train.count / batchSize);
  }

  /** The batch of step `step`: the one after the last asked for (both random streams move on). */
  batch(step: number): HostBatch {
    if (step !== this.nextStep) throw new Error(`batch ${step} asked for, ${this.nextStep} is next`);
    this.nextStep++;
    const inEpoch = step % this.stepsPerEpoch;
    if (inEpoch === 0) this.order = this.orderRng.permutation(this.dataset.train.count);
    const start = inEpoch * this.batchSize;
    const indices = this.order.subarray(start, Math.min(start + this.batchSize, this.dataset.train.count));
    return makeBatch(this.dataset, this.dataset.train, indices, this.augmentRng);
  }
}

/**
 * Endless full batches of the training split: shuffled epochs, one after
 * another (a batch may straddle two), with the training augmentation. For
 * GradInit, which draws from its own random streams so that the training
 * batches of both recipes stay the same whether it runs or not.
 */
export class TrainingBatchStream {
  private order: Int32Array = new Int32Array(0);
  private position = 0;

  constructor(
    private readonly dataset: Dataset,
    private readonly batchSize: number,
    private readonly orderRng: Rng,
    private readonly augmentRng: Rng,
  ) {
    if (dataset.train.count === 0) throw new Error('No training examples to draw batches from');
  }

  next(): HostBatch {
    const indices = new Int32Array(this.batchSize);
    for (let i = 0; i < this.batchSize; i++) {
      if (this.position === this.order.length) {
        this.order = this.orderRng.permutation(this.dataset.train.count);
        this.position = 0;
      }
      indices[i] = this.order[this.position++]!;
    }
    return makeBatch(this.dataset, this.dataset.train, indices, this.augmentRng);
  }
}
