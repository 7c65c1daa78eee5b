import type * as tf from '@tensorflow/tfjs';
import type { ForwardContext, NormMode } from '../models/network';
import { relu } from './activations';

/** A forward context over explicit tensors, for tests of single layers. */
export function testContext(params: readonly tf.Tensor[], buffers: readonly tf.Tensor[] = [], normMode: NormMode = 'train', updates?: Map<number, tf.Tensor>): ForwardContext {
  return { activation: relu, normMode, params, buffers, updateBuffer: updates ? (i, v) => updates.set(i, v) : undefined, ghostScale: 0 };
}
