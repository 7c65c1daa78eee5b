import type * as tf from '@tensorflow/tfjs';
import type { ActivationFn } from '../nn/activations';
import type { Rng } from '../train/rng';

/** Where a parameter sits, so a mask policy can keep the first and last layers dense. */
export type LayerPosition = 'first' | 'hidden' | 'last';

export interface ParamSpec {
  /** PyTorch-style name, e.g. `fc2.weight`. */
  readonly name: string;
  /** PyTorch layout: linear weights are [out, in]. */
  readonly shape: readonly number[];
  readonly role: 'weight' | 'bias';
  /** Whether a sparse mask may prune this tensor (weights of conv and linear layers). */
  readonly prunable: boolean;
  readonly position: LayerPosition;
  /** Draws the initial values (the paired recipes start from the same draw). */
  init(rng: Rng): Float32Array;
}

export interface ForwardContext {
  /** The nonlinearity in place of every ReLU. */
  readonly activation: ActivationFn;
  readonly training: boolean;
}

/** An architecture instantiated for one input shape and class count: parameters plus a pure forward function. */
export interface Network {
  readonly params: readonly ParamSpec[];
  /** Logits [batch, classes] for a batch; `params` in the order of `this.params`. */
  forward(params: readonly tf.Tensor[], x: tf.Tensor, context: ForwardContext): tf.Tensor2D;
}

export interface NetworkShape {
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}
