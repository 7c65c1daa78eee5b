import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { layerGradient, prepareBackends, relativeError, type Layer } from './testing/backend-parity';
import { convCases, filterShape, inputShape, type ConvCase } from './testing/conv-case';
import { relaxedGemmPolicy } from './wasm-gemm/relaxed-gemm';

const convolution =
  (c: ConvCase): Layer =>
  (x, w) =>
    tf.conv2d(x, w, c.strides, c.pad, 'NHWC', 1);

/** Routes by the policy: col2im of dy·Wᵀ on the product for every size, or always the convolutions of dy. */
const routes = {
  col2im: { minWork: 0, col2imShare: Infinity },
  'convolution of dy': { col2imShare: 0 },
} as const;

describe('Conv2DBackpropInput on wasm', () => {
  const policy = { ...relaxedGemmPolicy };
  beforeAll(prepareBackends);
  afterEach(() => Object.assign(relaxedGemmPolicy, policy));

  it('is the composed kernel, not the stock one', () => {
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc).toBe(conv2dBackpropInputConfig.kernelFunc);
  });

  it.each(Object.keys(routes) as (keyof typeof routes)[])('gives the CPU backend’s input gradient for random shapes, strides and paddings (%s)', async (route) => {
    Object.assign(relaxedGemmPolicy, routes[route]);
    await fc.assert(
      fc.asyncProperty(convCases('dense'), async (c) => {
        const shapes = { input: inputShape(c), filter: filterShape(c) };
        const wasm = await layerGradient('wasm', convolution(c), shapes, 'input', c.seed);
        const cpu = await layerGradient('cpu', convolution(c), shapes, 'input', c.seed);
        expect(relativeError(wasm.gradient, cpu.gradient)).toBeLessThan(1e-4);
        expect(wasm.leakedTensors).toBe(0);
        expect(wasm.leakedBuffers).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
