import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerGradient, prepareBackends, relativeError, type Layer } from './testing/backend-parity';
import { convCases, filterShape, inputShape, type ConvCase } from './testing/conv-case';

const depthwiseConvolution =
  (c: ConvCase): Layer =>
  (x, w) =>
    tf.depthwiseConv2d(x, w, c.strides, c.pad, 'NHWC', 1);

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  beforeAll(prepareBackends);

  it('gives the CPU backend’s input gradient for random shapes, strides, paddings and multipliers', async () => {
    await fc.assert(
      fc.asyncProperty(convCases('depthwise'), async (c) => {
        const shapes = { input: inputShape(c), filter: filterShape(c) };
        const wasm = await layerGradient('wasm', depthwiseConvolution(c), shapes, 'input', c.seed);
        const cpu = await layerGradient('cpu', depthwiseConvolution(c), shapes, 'input', c.seed);
        expect(relativeError(wasm.gradient, cpu.gradient)).toBeLessThan(1e-4);
        expect(wasm.leakedTensors).toBe(0);
        expect(wasm.leakedBuffers).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
