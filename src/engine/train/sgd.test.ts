import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { sgdUpdate } from './sgd';

/** Runs sgdUpdate with a fixed gradient sequence; returns weights after each step. */
function run(w0: number[], gradients: number[][], mask: number[] | null, settings: { lr: number; momentum: number; weightDecay: number }) {
  const weight = tf.variable(tf.tensor1d(w0));
  const buffer = tf.variable(tf.zeros([w0.length]));
  const maskTensor = mask ? tf.tensor1d(mask) : null;
  const history: number[][] = [];
  for (const g of gradients) {
    tf.tidy(() => sgdUpdate(weight, tf.tensor1d(g), buffer, maskTensor, settings));
    history.push(Array.from(weight.dataSync()));
  }
  tf.dispose([weight, buffer, ...(maskTensor ? [maskTensor] : [])]);
  return history;
}

describe('masked SGD (PyTorch order)', () => {
  it('matches one step by hand', () => {
    // d = g + λw = [0.5 + 0.1·1, −1 + 0.1·2] = [0.6, −0.8]; b = d; w = w − 0.1·b.
    const [w1] = run([1, 2], [[0.5, -1]], null, { lr: 0.1, momentum: 0.9, weightDecay: 0.1 });
    expect(w1![0]).toBeCloseTo(1 - 0.06, 6);
    expect(w1![1]).toBeCloseTo(2 + 0.08, 6);
  });

  it('matches three steps with momentum, weight decay and a mask by hand', () => {
    const settings = { lr: 0.5, momentum: 0.9, weightDecay: 0.01 };
    const gradients = [
      [1, 3],
      [2, -1],
      [-1, 4],
    ];
    // Second entry pruned (w = 0, mask 0) stays exactly 0 despite non-zero gradients.
    const history = run([2, 0], gradients, [1, 0], settings);
    let w = 2;
    let b = 0;
    for (const [g] of gradients) {
      const d = g! + 0.01 * w;
      b = 0.9 * b + d;
      w -= 0.5 * b;
    }
    expect(history[2]![0]).toBeCloseTo(w, 5);
    for (const step of history) expect(step[1]).toBe(0);
  });

  it('without a mask, a zero weight does move', () => {
    const history = run([2, 0], [[1, 3]], null, { lr: 0.5, momentum: 0.9, weightDecay: 0 });
    expect(history[0]![1]).toBeCloseTo(-1.5, 6);
  });
});
