import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerGradient, prepareBackends, relativeError, type Layer } from './testing/backend-parity';
import { convCases, filterShape, inputShape, type ConvCase } from './testing/conv-case';

const convolution =
  (c: ConvCase): Layer =>
  (x, w) =>
    tf.conv2d(x, w, c.strides, c.pad, 'NHWC', 1);

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(prepareBackends);

  it('gives the CPU backend’s filter gradient for random shapes, strides and paddings', async () => {
    await fc.assert(
      fc.asyncProperty(convCases('dense'), async (c) => {
        const shapes = { input: inputShape(c), filter: filterShape(c) };
        const wasm = await layerGradient('wasm', convolution(c), shapes, 'filter', c.seed);
        const cpu = await layerGradient('cpu', convolution(c), shapes, 'filter', c.seed);
        expect(relativeError(wasm.gradient, cpu.gradient)).toBeLessThan(1e-4);
        expect(wasm.leakedTensors).toBe(0);
        expect(wasm.leakedBuffers).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
