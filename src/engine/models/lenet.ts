import type * as tf from '@tensorflow/tfjs';
import { NetworkBuilder } from '../nn/builder';
import { conv2d, convOutputSize } from '../nn/conv';
import { dense } from '../nn/masked-dense';
import { flatten, maxPool } from '../nn/pooling';
import { scaled, type ConvShape, requireImage } from './image-shape';
import type { Network, NetworkShape } from './network';

/**
 * LeNet-5 as commonly trained in PyTorch: conv 5×5 (6) → pool → conv 5×5 (16)
 * → pool → fc 120 → fc 84 → classes, ReLU (swappable) after every hidden layer.
 * Images smaller than 32×32 (MNIST's 28×28) get the classic 2-pixel padding on
 * the first conv so the feature map is 5×5×16 = 400 either way.
 */
export function buildLenet(shape: NetworkShape, width: number): Network {
  const image: ConvShape = requireImage(shape, 'LeNet-5');
  const builder = new NetworkBuilder();
  const c1 = scaled(6, width);
  const c2 = scaled(16, width);
  const padding = image.height < 32 ? Math.ceil((32 - image.height) / 2) : 0;
  const conv1 = conv2d(builder, 'conv1', { inChannels: image.channels, outChannels: c1, kernel: 5, padding, bias: true, position: 'first' });
  const conv2 = conv2d(builder, 'conv2', { inChannels: c1, outChannels: c2, kernel: 5, padding: 0, bias: true });
  const side = (size: number) => Math.floor(convOutputSize(Math.floor(convOutputSize(size, 5, 1, padding) / 2), 5, 1, 0) / 2);
  const features = side(image.height) * side(image.width) * c2;
  if (features <= 0) throw new Error(`LeNet-5 needs images of at least 12×12 pixels, not ${image.height}×${image.width}`);
  const fc1 = dense(builder, 'fc1', features, scaled(120, width));
  const fc2 = dense(builder, 'fc2', scaled(120, width), scaled(84, width));
  const fc3 = dense(builder, 'fc3', scaled(84, width), shape.numClasses, { position: 'last' });
  return {
    params: builder.params,
    buffers: builder.buffers,
    forward(x, context) {
      const act = <T extends tf.Tensor>(t: T) => context.activation(t) as T;
      let h = maxPool(act(conv1(x as tf.Tensor4D, context)), 2);
      h = maxPool(act(conv2(h, context)), 2);
      let f = act(fc1(flatten(h), context));
      f = act(fc2(f, context));
      return fc3(f, context);
    },
  };
}
