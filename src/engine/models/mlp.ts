import type * as tf from '@tensorflow/tfjs';
import { dense, denseParams } from '../nn/masked-dense';
import type { LayerPosition, Network, NetworkShape } from './network';

/** Fully connected: input → hidden widths (activation after each) → class logits. */
export function buildMlp(shape: NetworkShape, hidden: readonly number[]): Network {
  const inFeatures = shape.inputShape.reduce((a, b) => a * b, 1);
  const widths = [inFeatures, ...hidden, shape.numClasses];
  const layerCount = widths.length - 1;
  const position = (layer: number): LayerPosition => (layer === 0 ? 'first' : layer === layerCount - 1 ? 'last' : 'hidden');
  const params = Array.from({ length: layerCount }, (_, layer) =>
    denseParams(`fc${layer + 1}`, widths[layer]!, widths[layer + 1]!, position(layer)),
  ).flat();

  return {
    params,
    forward(values, x, context) {
      let h = x.reshape([x.shape[0]!, inFeatures]) as tf.Tensor2D;
      for (let layer = 0; layer < layerCount; layer++) {
        h = dense(h, values[2 * layer]!, values[2 * layer + 1]!);
        if (layer < layerCount - 1) h = context.activation(h) as tf.Tensor2D;
      }
      return h;
    },
  };
}
