import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNInGroups, addNWebgpuWrapper } from './add-n-in-groups';

/**
 * The grouping runs on the CPU backend's AddN, with a bound on inputs per call
 * standing in for a WebGPU device's storage-buffer limit: every call the
 * stock kernel sees must respect it, and the sum must equal tf.addN's.
 */
describe('addNInGroups', () => {
  const stock = tf.getKernel('AddN', 'cpu')!;
  let largestCall = 0;
  const counting: KernelConfig = {
    ...stock,
    kernelFunc: (args) => {
      largestCall = Math.max(largestCall, (args.inputs as unknown as TensorInfo[]).length);
      return stock.kernelFunc(args);
    },
  };

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => {
    tf.unregisterKernel('AddN', 'cpu');
    tf.registerKernel(stock);
  });

  const sumWithLimit = (tensors: tf.Tensor[], maxInputs: number): { sum: Float32Array; largest: number } => {
    tf.unregisterKernel('AddN', 'cpu');
    tf.registerKernel(addNInGroups(counting, () => maxInputs));
    largestCall = 0;
    try {
      const result = tf.addN(tensors);
      const sum = result.dataSync() as Float32Array;
      result.dispose();
      return { sum, largest: largestCall };
    } finally {
      tf.unregisterKernel('AddN', 'cpu');
      tf.registerKernel(stock);
    }
  };

  it('sums any number of tensors in calls of at most the limit, with the same result and nothing left behind', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 6 }), (count, maxInputs, size) => {
        const tensors = Array.from({ length: count }, (_, i) => tf.range(0, size).mul(i + 1).add(0.25 * i));
        const expected = tf.tidy(() => tensors.reduce((a, b) => a.add(b)).dataSync());
        const tensorsBefore = tf.memory().numTensors;
        const buffersBefore = tf.engine().backend.numDataIds();
        const { sum, largest } = sumWithLimit(tensors, maxInputs);
        expect(Array.from(sum)).toEqual(Array.from(expected));
        expect(largest).toBeLessThanOrEqual(maxInputs);
        expect(tf.memory().numTensors).toBe(tensorsBefore);
        expect(tf.engine().backend.numDataIds()).toBe(buffersBefore);
        tf.dispose(tensors);
      }),
      { numRuns: 60 },
    );
  });

  it('passes a call within the limit straight to the stock kernel', () => {
    const tensors = Array.from({ length: 5 }, (_, i) => tf.scalar(i));
    expect(sumWithLimit(tensors, 7)).toEqual({ sum: Float32Array.from([10]), largest: 5 });
    tf.dispose(tensors);
  });

  it('on WebGPU leaves one of the device’s storage buffers per shader to the output', () => {
    const seen: number[] = [];
    const fakeStock: KernelConfig = {
      kernelName: 'AddN',
      backendName: 'webgpu',
      kernelFunc: (args) => {
        seen.push((args.inputs as unknown as TensorInfo[]).length);
        return { dataId: {}, shape: [], dtype: 'float32' };
      },
    };
    const device = { limits: { maxStorageBuffersPerShaderStage: 8 } };
    const inputs = Array.from({ length: 10 }, () => ({ dataId: {}, shape: [], dtype: 'float32' }));
    const disposed: object[] = [];
    addNWebgpuWrapper.wrap(fakeStock).kernelFunc({ inputs: inputs as never, attrs: {}, backend: { device, disposeData: (id: object) => disposed.push(id) } as never });
    expect(seen).toEqual([7, 3, 2]);
    expect(disposed).toHaveLength(2);
  });
});
