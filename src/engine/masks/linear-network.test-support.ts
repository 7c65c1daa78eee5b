import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import type { Network } from '../models/network';

/**
 * Softmax regression, logits = x·Wᵀ with W [classes, features]: small enough
 * that scores can be derived by hand (in float64) in tests.
 */
export function linearNetwork(features: number, classes: number): Network {
  return {
    params: [
      {
        name: 'fc.weight',
        shape: [classes, features],
        role: 'weight',
        prunable: true,
        position: 'hidden',
        init: (rng) => Float32Array.from({ length: classes * features }, () => rng.normal() * 0.5),
      },
    ],
    buffers: [],
    forward: (x, context) => tf.matMul(x as tf.Tensor2D, context.params[0] as tf.Tensor2D, false, true),
  };
}

/** Float features drawn deterministically, labels cycling through the classes. */
export function tinyDataset(features: number, classes: number, count: number): Dataset {
  const x = Float32Array.from({ length: count * features }, (_, i) => Math.round(Math.sin(i * 7.31 + 1) * 100) / 100);
  const y = Int32Array.from({ length: count }, (_, i) => (i * 7) % classes);
  const split = { x, y, count };
  return { id: 'tiny', inputShape: [features], numClasses: classes, train: split, validation: null, test: split };
}

/** Softmax of each row (float64). */
export function softmaxRows(logits: number[][]): number[][] {
  return logits.map((row) => {
    const max = Math.max(...row);
    const e = row.map((z) => Math.exp(z - max));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / total);
  });
}
