import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convolvesInFrames, filterGradientInFramesBy } from './frame-convolution';
import { createGemm } from './relaxed-gemm';
import {
  convolutionCases,
  convolutionError,
  filterGradientError,
  filterOf,
  imageOf,
  referenceConvolution,
  worstError,
  type ConvolutionCase,
} from './testing/convolution-definitions';
import { withPolicy } from './testing/with-policy';

/** Runs `check` with convolutions read from padded images (frames) in place where a kernel can, or all through im2col (never by Winograd). */
function withFrames<T>(inPlace: boolean, check: () => T): T {
  return withPolicy({ framesWithoutIm2col: inPlace, winogradFromChannels: Infinity }, check);
}

/** One-channel images; any stride and dilation, and paddings that crop too, with rows of the output that are whole tiles at stride 1. */
const oneChannelCases: fc.Arbitrary<ConvolutionCase> = fc
  .tuple(convolutionCases, fc.integer({ min: 1, max: 3 }), fc.boolean())
  .map(([c, tiles, strideOne]) => {
    const window = strideOne ? { ...c.window, strideHeight: 1, strideWidth: 1, outWidth: 4 * tiles } : c.window;
    return { ...c, image: [c.image[0], c.image[1], c.image[2], 1] as const, filter: [c.filter[0], c.filter[1], 1, c.filter[3]] as const, window };
  });

describe('one-channel convolutions read from the padded image in place', () => {
  it('convolve as the definition says at stride 1: any size, dilation and padding (cropping too)', () => {
    const gemm = createGemm('relaxed-madd')!;
    fc.assert(
      fc.property(oneChannelCases, (c) => {
        fc.pre(convolvesInFrames(c.image, c.filter, c.window) === 'one channel');
        expect(withFrames(true, () => convolutionError(gemm, c))).toBeLessThan(1e-5);
      }),
      { numRuns: 300 },
    );
  });

  it('give the filter gradient the definition gives, at any stride', () => {
    const gemm = createGemm('relaxed-madd')!;
    fc.assert(
      fc.property(oneChannelCases, (c) => {
        expect(withFrames(true, () => filterGradientError(gemm, c))).toBeLessThan(1e-5);
      }),
      { numRuns: 300 },
    );
  });

  it('take LeNet-5’s first layer in blocks of images, as im2col does to float32 roundoff', () => {
    const gemm = createGemm('relaxed-madd')!;
    const window = { strideHeight: 1, strideWidth: 1, padTop: 2, padLeft: 2, dilationHeight: 1, dilationWidth: 1, outHeight: 28, outWidth: 28 };
    // 28·28 pixels of 8 floats of dy per image: blocks of 20 images, and 45 images make three blocks.
    const c: ConvolutionCase = { image: [45, 28, 28, 1], filter: [5, 5, 1, 6], window, seed: 3 };
    for (const inPlace of [true, false]) {
      expect(withFrames(inPlace, () => convolutionError(gemm, c))).toBeLessThan(1e-5);
      expect(withFrames(inPlace, () => filterGradientError(gemm, c))).toBeLessThan(1e-5);
    }
  });
});

/** Any channels, strides and paddings (cropping too), without dilation, rows of the output of whole pairs of pixels and 16 or 32 output channels. */
const wideFrameCases: fc.Arbitrary<ConvolutionCase> = fc
  .tuple(convolutionCases, fc.integer({ min: 1, max: 4 }), fc.constantFrom(16, 32))
  .map(([c, pairs, outChannels]) => ({
    ...c,
    filter: [c.filter[0], c.filter[1], c.filter[2], outChannels] as const,
    window: { ...c.window, dilationHeight: 1, dilationWidth: 1, outWidth: 2 * pairs },
  }));

describe('convolutions of many channels read from the padded image in place (wide tiles)', () => {
  it('match the definition for any channels, stride and padding', () => {
    const gemm = createGemm('relaxed-madd')!;
    fc.assert(
      fc.property(wideFrameCases, (c) => {
        fc.pre(convolvesInFrames(c.image, c.filter, c.window) === 'wide');
        expect(withFrames(true, () => convolutionError(gemm, c))).toBeLessThan(1e-5);
      }),
      { numRuns: 300 },
    );
  });

  it('take ResNet’s layers in blocks of images (5 to 9 a block), exactly as im2col and the product do', () => {
    const gemm = createGemm('relaxed-madd')!;
    for (const [size, channels, outChannels, stride] of [[16, 16, 16, 1], [16, 16, 32, 2], [8, 64, 64, 1], [32, 3, 16, 1]] as const) {
      const out = Math.floor((size - 1) / stride) + 1;
      const window = { strideHeight: stride, strideWidth: stride, padTop: 1, padLeft: 1, dilationHeight: 1, dilationWidth: 1, outHeight: out, outWidth: out };
      const c: ConvolutionCase = { image: [12, size, size, channels], filter: [3, 3, channels, outChannels], window, seed: size + channels };
      expect(convolvesInFrames(c.image, c.filter, c.window)).toBe('wide');
      const image = imageOf(c);
      const [inFrames, throughIm2col] = [true, false].map((inPlace) => {
        const out = new Float32Array(12 * window.outHeight * window.outWidth * outChannels).fill(Number.NaN);
        withFrames(inPlace, () => gemm.convolve(image, c.image, filterOf(c), c.filter, c.window, out));
        return out;
      });
      // The same taps in the same order: the same floats.
      expect(inFrames).toEqual(throughIm2col);
      expect(worstError(inFrames!, referenceConvolution(image, c))).toBeLessThan(1e-5);
    }
  });
});

/** 3 to 12 channels at stride 1 (whole planes of 4 or not); any size, dilation and padding (cropping too). */
const planeCases: fc.Arbitrary<ConvolutionCase> = fc.tuple(convolutionCases, fc.constantFrom(3, 4, 5, 6, 7, 8, 12)).map(([c, channels]) => ({
  ...c,
  image: [c.image[0], c.image[1], c.image[2], channels] as const,
  filter: [c.filter[0], c.filter[1], channels, c.filter[3]] as const,
  window: { ...c.window, strideHeight: 1, strideWidth: 1 },
}));

describe('filter gradients read from frames in planes of 4 channels (the last plane part zeros where channels are not a multiple of 4)', () => {
  it('match the definition for any size, dilation and padding at stride 1', () => {
    const gemm = createGemm('relaxed-madd')!;
    fc.assert(
      fc.property(planeCases, (c) => {
        expect(filterGradientInFramesBy(c.image, c.window)).toBe('frames');
        expect(withFrames(true, () => filterGradientError(gemm, c))).toBeLessThan(1e-5);
      }),
      { numRuns: 300 },
    );
  });

  it('sum ResNet’s 16-channel layer over blocks of images as im2col does, to float32 roundoff', () => {
    const gemm = createGemm('relaxed-madd')!;
    const window = { strideHeight: 1, strideWidth: 1, padTop: 1, padLeft: 1, dilationHeight: 1, dilationWidth: 1, outHeight: 16, outWidth: 16 };
    // dy of 16·16 pixels × 16 floats per image: blocks of 32 images, and 70 images make three.
    const c: ConvolutionCase = { image: [70, 16, 16, 16], filter: [3, 3, 16, 16], window, seed: 21 };
    expect(withFrames(true, () => filterGradientError(gemm, c))).toBeLessThan(1e-5);
  });
});
