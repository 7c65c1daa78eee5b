import type * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../nn/batch-norm';
import { NetworkBuilder } from '../nn/builder';
import { conv2d } from '../nn/conv';
import { dense } from '../nn/masked-dense';
import { globalAveragePool } from '../nn/pooling';
import { requireImage, scaled } from './image-shape';
import type { Network, NetworkShape } from './network';
import { basicBlock, type Block } from './resnet-blocks';

/**
 * The reference code's ResNet-18 for CIFAR: 3×3 stem (64, stride 1, no
 * max-pool) → [2, 2, 2, 2] BasicBlocks 64/128/256/512 wide, strides 1/2/2/2 →
 * average pool → linear. PyTorch default initialisation throughout. The
 * reference pools 4×4 (global at 32×32 input); global pooling keeps larger
 * inputs (TinyImageNet) working with the same classifier.
 */
export function buildResnet18(shape: NetworkShape, width: number, ghostSkips = false): Network {
  const image = requireImage(shape, 'ResNet-18');
  const options = { init: 'pytorch-default', shortcutName: 'shortcut', ghostSkips } as const;
  const builder = new NetworkBuilder();
  const stemWidth = scaled(64, width);
  const stem = conv2d(builder, 'conv1', { inChannels: image.channels, outChannels: stemWidth, kernel: 3, padding: 1, position: 'first' });
  const stemBn = batchNorm(builder, 'bn1', stemWidth);
  const blocks: Block[] = [];
  let channels = stemWidth;
  [64, 128, 256, 512].forEach((planes, stage) => {
    const stagePlanes = scaled(planes, width);
    for (let i = 0; i < 2; i++) {
      blocks.push(basicBlock(builder, `layer${stage + 1}.${i}`, channels, stagePlanes, i === 0 && stage > 0 ? 2 : 1, options));
      channels = stagePlanes;
    }
  });
  const linear = dense(builder, 'linear', channels, shape.numClasses, { position: 'last' });
  return {
    params: builder.params,
    buffers: builder.buffers,
    forward(x, context) {
      let h = context.activation(stemBn(stem(x as tf.Tensor4D, context), context)) as tf.Tensor4D;
      for (const block of blocks) h = block(h, context);
      return linear(globalAveragePool(h), context);
    },
  };
}
