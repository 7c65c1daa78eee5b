import type * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../nn/batch-norm';
import { NetworkBuilder } from '../nn/builder';
import { conv2d } from '../nn/conv';
import { dense } from '../nn/masked-dense';
import { globalAveragePool } from '../nn/pooling';
import { requireImage, scaled } from './image-shape';
import type { Network, NetworkShape } from './network';
import type { Block, BlockOptions } from './resnet-blocks';

export interface ResnetSpec {
  readonly label: string;
  readonly stemWidth: number;
  /** Planes of each stage's blocks; the first block of every stage but the first has stride 2. */
  readonly stagePlanes: readonly number[];
  readonly blocksPerStage: number;
  readonly makeBlock: (builder: NetworkBuilder, name: string, inChannels: number, planes: number, stride: number, options: BlockOptions) => Block;
  /** Output channels per plane of a block (4 for bottlenecks). */
  readonly expansion: number;
  readonly classifierName: string;
  readonly options: BlockOptions;
  readonly width: number;
}

/** The CIFAR ResNet skeleton both reference variants share: 3×3 stem → BN → act → stages → global pool → linear. */
export function buildResnet(shape: NetworkShape, spec: ResnetSpec): Network {
  const image = requireImage(shape, spec.label);
  const builder = new NetworkBuilder();
  const stemWidth = scaled(spec.stemWidth, spec.width);
  const stem = conv2d(builder, 'conv1', { inChannels: image.channels, outChannels: stemWidth, kernel: 3, padding: 1, init: spec.options.init, position: 'first' });
  const stemBn = batchNorm(builder, 'bn1', stemWidth);
  const blocks: Block[] = [];
  let channels = stemWidth;
  spec.stagePlanes.forEach((planes, stage) => {
    const stagePlanes = scaled(planes, spec.width);
    for (let i = 0; i < spec.blocksPerStage; i++) {
      blocks.push(spec.makeBlock(builder, `layer${stage + 1}.${i}`, channels, stagePlanes, i === 0 && stage > 0 ? 2 : 1, spec.options));
      channels = stagePlanes * spec.expansion;
    }
  });
  const classifier = dense(builder, spec.classifierName, channels, shape.numClasses, { position: 'last' });
  return {
    params: builder.params,
    buffers: builder.buffers,
    forward(x, context) {
      let h = context.activation(stemBn(stem(x as tf.Tensor4D, context), context)) as tf.Tensor4D;
      for (const block of blocks) h = block(h, context);
      return classifier(globalAveragePool(h), context);
    },
  };
}
