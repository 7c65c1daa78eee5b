import type * as tf from '@tensorflow/tfjs';
import * as ops from '@tensorflow/tfjs';
import type { Experiment } from '../experiment/schema';
import { batchNorm } from '../nn/batch-norm';
import { filled, type NetworkBuilder } from '../nn/builder';
import type { ForwardContext } from '../models/network';

/** Every weight of a ghost 1×1 conv starts here, as in the reference code (BN then rescales the branch). */
export const GHOST_INIT = 1e-4;

export type GhostBranch = (x: tf.Tensor4D, context: ForwardContext) => tf.Tensor4D;

/**
 * A ghost skip branch: dense 1×1 conv (no bias, every weight 1e-4) → BN, never
 * masked. Callers add α·branch(x) to a layer's BN output before its activation.
 * Returns null when the network is built without ghosts.
 */
export function ghostBranch(
  builder: NetworkBuilder,
  enabled: boolean,
  name: string,
  inChannels: number,
  outChannels: number,
  stride: number,
): GhostBranch | null {
  if (!enabled) return null;
  const size = inChannels * outChannels;
  const weight = builder.addParam({
    name: `${name}.conv_jump.weight`,
    shape: [1, 1, inChannels, outChannels],
    role: 'weight',
    prunable: false,
    position: 'hidden',
    ghost: true,
    init: () => filled(size, GHOST_INIT),
  });
  const bn = batchNorm(builder, `${name}.bn_jump`, outChannels, 'hidden', true);
  return (x, context) => bn(ops.conv2d(x, context.params[weight] as tf.Tensor4D, stride, 0), context) as tf.Tensor4D;
}

/** y + α·branch(x), or y itself when there is no branch or α = 0 (then the branch is not even computed). */
export function withGhost(y: tf.Tensor4D, branch: GhostBranch | null, x: tf.Tensor4D, context: ForwardContext): tf.Tensor4D {
  if (!branch || context.ghostScale === 0) return y;
  const contribution = branch(x, context);
  return ops.add(y, context.ghostScale === 1 ? contribution : ops.mul(contribution, context.ghostScale));
}

/**
 * α(t) of the ghost skips: 'reference' keeps α = 1 for the whole run (the
 * public code); 'decay' falls linearly from 1 at epoch 0 to 0 at `gscEnd`,
 * after which the branches are removed.
 */
export function ghostSkipScale(experiment: Pick<Experiment, 'gscSchedule' | 'gscEnd'>, epoch: number): number {
  if (experiment.gscSchedule === 'reference') return 1;
  if (experiment.gscEnd <= 0) return 0;
  return Math.max(0, 1 - epoch / experiment.gscEnd);
}
