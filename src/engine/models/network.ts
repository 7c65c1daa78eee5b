import type * as tf from '@tensorflow/tfjs';
import type { ActivationFn } from '../nn/activations';
import type { Rng } from '../train/rng';

/** Where a parameter sits, so a mask policy can keep the first and last layers dense. */
export type LayerPosition = 'first' | 'hidden' | 'last';

/**
 * Parameter layouts: linear weights are PyTorch's [out, in]; conv weights are
 * tfjs's [kh, kw, in, out] (PyTorch's [out, in, kh, kw] permuted by (2, 3, 1, 0)),
 * so no transpose is paid on every step; depthwise weights are [kh, kw, channels, 1].
 */
export type ParamRole = 'weight' | 'bias' | 'bn-weight' | 'bn-bias';

export interface ParamSpec {
  /** PyTorch-style name, e.g. `layer1.0.conv1.weight`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly role: ParamRole;
  /** Whether a sparse mask may prune this tensor (weights of conv and linear layers). */
  readonly prunable: boolean;
  readonly position: LayerPosition;
  /** Part of a ToST ghost branch: dense, never masked, removed when the branch fades out. */
  readonly ghost?: boolean;
  /** Draws the initial values (the paired recipes start from the same draw). */
  init(rng: Rng): Float32Array;
}

/** Non-trainable state: BatchNorm running statistics. */
export interface BufferSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly initialValue: number;
}

/**
 * How BatchNorm behaves in a forward pass:
 * - train: batch statistics, running statistics updated;
 * - eval: running statistics;
 * - batch-stats: batch statistics without touching the running ones (GradInit, scoring).
 */
export type NormMode = 'train' | 'eval' | 'batch-stats';

export interface ForwardContext {
  /** The nonlinearity in place of every ReLU. */
  readonly activation: ActivationFn;
  readonly normMode: NormMode;
  readonly params: readonly tf.Tensor[];
  readonly buffers: readonly tf.Tensor[];
  /** In train mode, receives each buffer's new value (to assign after the step). */
  readonly updateBuffer?: (index: number, value: tf.Tensor) => void;
  /** α of the ghost skip connections; at 0 the branches are not computed at all. */
  readonly ghostScale: number;
}

/** An architecture instantiated for one input shape and class count: parameters, buffers and a pure forward function. */
export interface Network {
  readonly params: readonly ParamSpec[];
  readonly buffers: readonly BufferSpec[];
  /** Logits [batch, classes]. */
  forward(x: tf.Tensor, context: ForwardContext): tf.Tensor2D;
}

export interface NetworkShape {
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}

export interface NetworkOptions {
  /** Declare the ToST ghost skip branches (only the ToST run's network has them). */
  readonly ghostSkips: boolean;
}

export function paramSize(param: { shape: readonly number[] }): number {
  return param.shape.reduce((a, b) => a * b, 1);
}
