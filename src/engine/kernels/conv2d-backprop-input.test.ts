import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { layerGradient, prepareBackends, relativeError, type Layer } from './testing/backend-parity';
import { convCases, filterShape, inputShape, type ConvCase } from './testing/conv-case';

const convolution =
  (c: ConvCase): Layer =>
  (x, w) =>
    tf.conv2d(x, w, c.strides, c.pad, 'NHWC', 1);

describe('Conv2DBackpropInput on wasm', () => {
  beforeAll(prepareBackends);

  it('is the composed kernel, not the stock one', () => {
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc).toBe(conv2dBackpropInputConfig.kernelFunc);
  });

  it('gives the CPU backend’s input gradient for random shapes, strides and paddings', async () => {
    await fc.assert(
      fc.asyncProperty(convCases('dense'), async (c) => {
        const shapes = { input: inputShape(c), filter: filterShape(c) };
        const wasm = await layerGradient('wasm', convolution(c), shapes, 'input', c.seed);
        const cpu = await layerGradient('cpu', convolution(c), shapes, 'input', c.seed);
        expect(relativeError(wasm.gradient, cpu.gradient)).toBeLessThan(1e-4);
        expect(wasm.leakedTensors).toBe(0);
        expect(wasm.leakedBuffers).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
