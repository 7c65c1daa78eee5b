import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensorOf } from './tensor-of';
import { prepareBackends } from './testing/backend-parity';

describe('tensorOf', () => {
  beforeAll(async () => {
    await prepareBackends();
    await tf.setBackend('wasm');
  });

  it('passes a Tensor through as it is', () => {
    const tensor = tf.tensor1d([1, 2, 3]);
    expect(tensorOf(tensor, tf.backend())).toBe(tensor);
    tensor.dispose();
  });

  it('wraps a bare TensorInfo so that disposing the wrapper leaves the original intact', () => {
    const original = tf.tensor1d([1, 2, 3]);
    const bare: TensorInfo = { dataId: original.dataId, shape: original.shape, dtype: original.dtype };
    const before = tf.memory().numTensors;
    const doubled = tf.tidy(() => tf.mul(tensorOf(bare, tf.backend()), 2));
    expect(Array.from(doubled.dataSync())).toEqual([2, 4, 6]);
    expect(Array.from(original.dataSync())).toEqual([1, 2, 3]);
    doubled.dispose();
    expect(tf.memory().numTensors).toBe(before);
    original.dispose();
  });
});
