import type * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../nn/batch-norm';
import { NetworkBuilder } from '../nn/builder';
import { conv2d, type ConvLayer } from '../nn/conv';
import type { BatchNormLayer } from '../nn/batch-norm';
import { dense } from '../nn/masked-dense';
import { globalAveragePool, maxPool } from '../nn/pooling';
import { requireImage, scaled } from './image-shape';
import { ghostBranch, withGhost, type GhostBranch } from '../tost/ghost-skip';
import type { Network, NetworkShape } from './network';

/** Configuration D without its last max-pool, as the reference's CIFAR `vgg16_bn`: the last map is 2×2 at 32×32 input. */
const VGG16_LAYERS: readonly (number | 'M')[] = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512];

/**
 * VGG16 with BatchNorm for CIFAR: 3×3 convs with bias → BN → act, four
 * max-pools, global average pool, one linear layer. Convs He-normal (fan-out),
 * biases 0, BN 1/0, linear N(0, 0.01) with bias 0, as the reference. Its input
 * normalisation lives in the data pipeline here, not inside the model.
 */
export function buildVgg16(shape: NetworkShape, width: number, ghostSkips = false): Network {
  const image = requireImage(shape, 'VGG16');
  const builder = new NetworkBuilder();
  const stages: ({ conv: ConvLayer; bn: BatchNormLayer; ghost: GhostBranch | null } | 'M')[] = [];
  let channels = image.channels;
  let index = 0;
  for (const item of VGG16_LAYERS) {
    if (item === 'M') {
      stages.push('M');
      index++;
      continue;
    }
    const out = scaled(item, width);
    stages.push({
      conv: conv2d(builder, `features.${index}`, { inChannels: channels, outChannels: out, kernel: 3, padding: 1, bias: true, init: 'he-normal-fan-out', position: index === 0 ? 'first' : 'hidden' }),
      bn: batchNorm(builder, `features.${index + 1}`, out),
      // Ghost skips (not in the reference): a dense 1×1 + BN beside every 3×3 conv, never across a pool.
      ghost: ghostBranch(builder, ghostSkips, `features.${index}`, channels, out, 1),
    });
    index += 3; // conv, bn, relu, as in the reference's module numbering
    channels = out;
  }
  const classifier = dense(builder, 'classifier', channels, shape.numClasses, { position: 'last', init: 'normal-0.01' });
  return {
    params: builder.params,
    buffers: builder.buffers,
    forward(x, context) {
      let h = x as tf.Tensor4D;
      for (const stage of stages) {
        h = stage === 'M' ? maxPool(h, 2) : (context.activation(withGhost(stage.bn(stage.conv(h, context), context) as tf.Tensor4D, stage.ghost, h, context)) as tf.Tensor4D);
      }
      return classifier(globalAveragePool(h), context);
    },
  };
}
