import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../train/rng';
import { prepareBackends, randomValues, relativeError } from './testing/backend-parity';
import { convCases, filterShape, inputShape, type ConvCase } from './testing/conv-case';
import { wrapConv2D } from './conv2d';
import { relaxedGemm, relaxedGemmPolicy } from './wasm-gemm/relaxed-gemm';

interface ConvolutionRun {
  /** The output, then the gradients of Σ conv(x, w) ⊙ r with respect to x and w. */
  readonly values: Float32Array[];
  readonly leakedTensors: number;
  readonly leakedBuffers: number;
}

async function convolution(backend: 'cpu' | 'wasm', c: ConvCase): Promise<ConvolutionRun> {
  await tf.setBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.engine().backend.numDataIds();
  const rng = new Rng(c.seed);
  const results = tf.tidy(() => {
    const x = tf.tensor4d(randomValues(inputShape(c), rng), inputShape(c));
    const w = tf.tensor4d(randomValues(filterShape(c), rng), filterShape(c));
    const layer = (input: tf.Tensor4D, filter: tf.Tensor4D) => tf.conv2d(input, filter, c.strides, c.pad, 'NHWC', 1);
    const out = layer(x, w);
    const weighting = tf.tensor(randomValues(out.shape, rng), out.shape);
    const grads = tf.grads((input: tf.Tensor, filter: tf.Tensor) => tf.sum(tf.mul(layer(input as tf.Tensor4D, filter as tf.Tensor4D), weighting)))([x, w]);
    return [out, ...grads];
  });
  const values = results.map((t) => t.dataSync() as Float32Array);
  tf.dispose(results);
  return { values, leakedTensors: tf.memory().numTensors - tensorsBefore, leakedBuffers: tf.engine().backend.numDataIds() - buffersBefore };
}

describe('Conv2D on wasm through the relaxed-SIMD product', () => {
  const policy = { ...relaxedGemmPolicy };
  beforeAll(async () => {
    await prepareBackends();
    // Every convolution on the product, however small, so the forward pass and both backward passes (which convolve too) run on it.
    relaxedGemmPolicy.minWork = 0;
  });
  afterAll(() => Object.assign(relaxedGemmPolicy, policy));

  it('gives the CPU backend’s output and both gradients for random shapes, strides and paddings', async () => {
    expect(relaxedGemm()).not.toBeNull();
    await fc.assert(
      fc.asyncProperty(convCases('dense'), async (c) => {
        const wasm = await convolution('wasm', c);
        const cpu = await convolution('cpu', c);
        wasm.values.forEach((values, i) => expect(relativeError(values, cpu.values[i]!)).toBeLessThan(1e-4));
        expect(wasm.leakedTensors).toBe(0);
        expect(wasm.leakedBuffers).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Conv2D on wasm without relaxed SIMD', () => {
  it('hands every convolution to the stock kernel', () => {
    const calls: unknown[] = [];
    const stock = { kernelName: tf.Conv2D, backendName: 'wasm', kernelFunc: (args: unknown) => (calls.push(args), 'stock result') } as unknown as tf.KernelConfig;
    const wrapped = wrapConv2D(stock, () => null);
    const args = {
      inputs: { x: { dataId: {}, shape: [2, 16, 16, 32], dtype: 'float32' }, filter: { dataId: {}, shape: [3, 3, 32, 32], dtype: 'float32' } },
      attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 },
      backend: {},
    };
    expect(wrapped.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0])).toBe('stock result');
    expect(calls).toEqual([args]);
  });
});
