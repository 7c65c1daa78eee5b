import * as tf from '@tensorflow/tfjs';
import { NetworkBuilder } from '../nn/builder';
import { dense } from '../nn/masked-dense';
import type { LayerPosition, Network, NetworkShape } from './network';

/**
 * Fully connected: flattened input → hidden widths (activation after each) → class logits.
 * Ghost skips for an MLP (the reference has none): a parameter-free identity
 * path α·h around each hidden-to-hidden layer of equal width, added before its
 * activation — the "non-existent skip connection" without a 1×1 conv, which for
 * a dense layer would just be a second dense layer.
 */
export function buildMlp(shape: NetworkShape, hidden: readonly number[], ghostSkips = false): Network {
  const builder = new NetworkBuilder();
  const inFeatures = shape.inputShape.reduce((a, b) => a * b, 1);
  const widths = [inFeatures, ...hidden, shape.numClasses];
  const layerCount = widths.length - 1;
  const position = (layer: number): LayerPosition => (layer === 0 ? 'first' : layer === layerCount - 1 ? 'last' : 'hidden');
  const layers = Array.from({ length: layerCount }, (_, layer) =>
    dense(builder, `fc${layer + 1}`, widths[layer]!, widths[layer + 1]!, { position: position(layer) }),
  );
  return {
    params: builder.params,
    buffers: builder.buffers,
    forward(x, context) {
      let h = tf.reshape(x, [x.shape[0]!, inFeatures]) as tf.Tensor2D;
      layers.forEach((layer, i) => {
        const input = h;
        h = layer(h, context);
        const ghost = ghostSkips && context.ghostScale > 0 && i > 0 && i < layerCount - 1 && widths[i] === widths[i + 1];
        if (ghost) h = tf.add(h, context.ghostScale === 1 ? input : tf.mul(input, context.ghostScale));
        if (i < layerCount - 1) h = context.activation(h) as tf.Tensor2D;
      });
      return h;
    },
  };
}
