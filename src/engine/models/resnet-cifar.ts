import type * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../nn/batch-norm';
import { NetworkBuilder } from '../nn/builder';
import { conv2d } from '../nn/conv';
import { dense } from '../nn/masked-dense';
import { globalAveragePool } from '../nn/pooling';
import { requireImage, scaled } from './image-shape';
import type { Network, NetworkShape } from './network';
import { basicBlock, BOTTLENECK_EXPANSION, bottleneckBlock, type Block } from './resnet-blocks';

/**
 * The reference code's CIFAR ResNet (`oresnet`): depth 6n + 2, stem 3×3 conv
 * (16) → three stages of n blocks (16/32/64 wide, strides 1/2/2) → global
 * average pool → fc. BasicBlocks below depth 54, Bottlenecks (×4) from 54 on,
 * so ResNet-56 and ResNet-104 are bottleneck networks here, as in that code.
 * Projection shortcuts (option B); convs He-normal (fan-out, untruncated),
 * BN 1/0, fc PyTorch default.
 */
export function buildCifarResnet(shape: NetworkShape, depth: number, width: number, ghostSkips = false): Network {
  if ((depth - 2) % 6 !== 0) throw new Error(`CIFAR ResNet depth must be 6n + 2, not ${depth}`);
  const image = requireImage(shape, `ResNet-${depth}`);
  const blocksPerStage = (depth - 2) / 6;
  const bottleneck = depth >= 54;
  const expansion = bottleneck ? BOTTLENECK_EXPANSION : 1;
  const makeBlock = bottleneck ? bottleneckBlock : basicBlock;
  const options = { init: 'he-normal-fan-out', shortcutName: 'downsample', ghostSkips } as const;

  const builder = new NetworkBuilder();
  const stemWidth = scaled(16, width);
  const stem = conv2d(builder, 'conv1', { inChannels: image.channels, outChannels: stemWidth, kernel: 3, padding: 1, init: options.init, position: 'first' });
  const stemBn = batchNorm(builder, 'bn1', stemWidth);
  const blocks: Block[] = [];
  let channels = stemWidth;
  [16, 32, 64].forEach((planes, stage) => {
    const stagePlanes = scaled(planes, width);
    for (let i = 0; i < blocksPerStage; i++) {
      blocks.push(makeBlock(builder, `layer${stage + 1}.${i}`, channels, stagePlanes, i === 0 && stage > 0 ? 2 : 1, options));
      channels = stagePlanes * expansion;
    }
  });
  const fc = dense(builder, 'fc', channels, shape.numClasses, { position: 'last' });

  return {
    params: builder.params,
    buffers: builder.buffers,
    forward(x, context) {
      let h = context.activation(stemBn(stem(x as tf.Tensor4D, context), context)) as tf.Tensor4D;
      for (const block of blocks) h = block(h, context);
      return fc(globalAveragePool(h), context);
    },
  };
}
