import type * as tf from '@tensorflow/tfjs';
import * as ops from '@tensorflow/tfjs';
import { batchNorm } from '../nn/batch-norm';
import { NetworkBuilder } from '../nn/builder';
import { conv2d } from '../nn/conv';
import { dense } from '../nn/masked-dense';
import { globalAveragePool } from '../nn/pooling';
import { requireImage, scaled } from './image-shape';
import { ghostBranch, withGhost } from '../tost/ghost-skip';
import type { ForwardContext, Network, NetworkShape } from './network';

/** (expansion t, channels c, repeats n, stride s) of MobileNetV2; the CIFAR variant sets the first two stride-2 stages to stride 1. */
const STAGES: readonly [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 1],
  [6, 32, 3, 1],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** ReLU6 = min(act(x), 6): with the default ReLU it is exactly ReLU6; ghost neurons soften its lower part. */
const act6 = (x: tf.Tensor, context: ForwardContext) => ops.minimum(context.activation(x), 6);

type Layer = (x: tf.Tensor4D, context: ForwardContext) => tf.Tensor4D;

/**
 * MobileNetV2 for 32×32 inputs (the paper names "MobileNet" without a
 * version; the project spec fixes V2): stem 3×3 conv stride 1 (32), inverted
 * residual blocks (expand 1×1 when t > 1 → depthwise 3×3 → project 1×1, residual
 * when stride 1 and shapes match), 1×1 conv to 1280, global pool, linear.
 * torchvision's initialisation: convs He-normal fan-out, BN 1/0, linear N(0, 0.01).
 * At width 1 the network is torchvision's (3,504,872 parameters for 1000 classes).
 */
export function buildMobilenetV2(shape: NetworkShape, width: number, ghostSkips = false): Network {
  const image = requireImage(shape, 'MobileNetV2');
  const builder = new NetworkBuilder();
  const init = 'he-normal-fan-out' as const;
  const stemWidth = scaled(32, width);
  const stemConv = conv2d(builder, 'features.0.0', { inChannels: image.channels, outChannels: stemWidth, kernel: 3, padding: 1, init, position: 'first' });
  const stemBn = batchNorm(builder, 'features.0.1', stemWidth);
  const blocks: Layer[] = [];
  let channels = stemWidth;
  let index = 1;
  for (const [t, c, n, s] of STAGES) {
    const out = scaled(c, width);
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const name = `features.${index++}.conv`;
      const hidden = channels * t;
      const parts: Layer[] = [];
      let part = 0;
      if (t !== 1) {
        const expand = conv2d(builder, `${name}.${part}.0`, { inChannels: channels, outChannels: hidden, kernel: 1, padding: 0, init });
        const bn = batchNorm(builder, `${name}.${part++}.1`, hidden);
        parts.push((x, context) => act6(bn(expand(x, context), context), context) as tf.Tensor4D);
      }
      const depthwise = conv2d(builder, `${name}.${part}.0`, { inChannels: hidden, outChannels: hidden, kernel: 3, stride, padding: 1, init, depthwise: true });
      const depthwiseBn = batchNorm(builder, `${name}.${part++}.1`, hidden);
      parts.push((x, context) => act6(depthwiseBn(depthwise(x, context), context), context) as tf.Tensor4D);
      const project = conv2d(builder, `${name}.${part}`, { inChannels: hidden, outChannels: out, kernel: 1, padding: 0, init });
      const projectBn = batchNorm(builder, `${name}.${part + 1}`, out);
      parts.push((x, context) => projectBn(project(x, context), context) as tf.Tensor4D);
      const residual = stride === 1 && channels === out;
      // Ghost skips (not in the reference): a dense 1×1 + BN from the block input to the projection's output, at the depthwise stride.
      const ghost = ghostBranch(builder, ghostSkips, `features.${index - 1}.ghost`, channels, out, stride);
      blocks.push((x, context) => {
        let h = x;
        for (const layer of parts) h = layer(h, context);
        h = withGhost(h, ghost, x, context);
        return residual ? ops.add(h, x) : h;
      });
      channels = out;
    }
  }
  // torchvision keeps 1280 below width 1; shrinking it too makes a thin classroom network really cheaper.
  const lastWidth = scaled(1280, width);
  const lastConv = conv2d(builder, `features.${index}.0`, { inChannels: channels, outChannels: lastWidth, kernel: 1, padding: 0, init });
  const lastBn = batchNorm(builder, `features.${index}.1`, lastWidth);
  const classifier = dense(builder, 'classifier.1', lastWidth, shape.numClasses, { position: 'last', init: 'normal-0.01' });
  return {
    params: builder.params,
    buffers: builder.buffers,
    forward(x, context) {
      let h = act6(stemBn(stemConv(x as tf.Tensor4D, context), context), context) as tf.Tensor4D;
      for (const block of blocks) h = block(h, context);
      h = act6(lastBn(lastConv(h, context), context), context) as tf.Tensor4D;
      return classifier(globalAveragePool(h), context);
    },
  };
}
