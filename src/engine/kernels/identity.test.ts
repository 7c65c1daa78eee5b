import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { identityConfig } from './identity';
import { prepareBackends } from './testing/backend-parity';

describe('Identity on wasm', () => {
  beforeAll(async () => {
    await prepareBackends();
    await tf.setBackend('wasm');
  });

  it('is the sharing kernel, not the copying stock one', () => {
    expect(tf.getKernel(tf.Identity, 'wasm')?.kernelFunc).toBe(identityConfig.kernelFunc);
  });

  it('gives a clone that outlives its original and frees the data with the last of them', () => {
    const buffersBefore = tf.engine().backend.numDataIds();
    const original = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(original);
    original.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    expect(tf.engine().backend.numDataIds()).toBe(buffersBefore + 1);
    copy.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(buffersBefore);
  });

  it('keeps a variable’s value when the tensor it was made from is disposed, and the other way round', () => {
    const source = tf.tensor1d([4, 5]);
    const variable = tf.variable(source);
    source.dispose();
    expect(Array.from(variable.dataSync())).toEqual([4, 5]);
    const saved = tf.clone(variable);
    variable.assign(tf.tensor1d([6, 7]));
    expect(Array.from(saved.dataSync())).toEqual([4, 5]);
    tf.dispose([saved, variable]);
  });
});
