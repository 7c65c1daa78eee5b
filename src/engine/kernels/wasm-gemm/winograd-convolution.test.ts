import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGemm, type Window } from './relaxed-gemm';
import { convolutionError, filterGradientError, type ConvolutionCase } from './testing/convolution-definitions';
import { withPolicy } from './testing/with-policy';
import { convolvesByWinograd } from './winograd-convolution';

const sameSize = (height: number, width: number): Window => ({
  strideHeight: 1, strideWidth: 1, padTop: 1, padLeft: 1, dilationHeight: 1, dilationWidth: 1, outHeight: height, outWidth: width,
});

/** 3×3 convolutions at stride 1 that keep the image's size: even sizes whose 2×2 tiles come in fours, channels in fours, out channels in eights. */
const winogradCases: fc.Arbitrary<ConvolutionCase> = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    size: fc.constantFrom<[number, number]>([2, 8], [4, 4], [4, 8], [8, 2], [6, 8], [8, 8], [12, 4], [10, 8]),
    channels: fc.constantFrom(4, 8, 12, 16),
    outChannels: fc.constantFrom(8, 16, 24),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 2 }),
  })
  .map(({ batch, size: [height, width], channels, outChannels, seed }) => ({
    image: [batch, height, width, channels] as const,
    filter: [3, 3, channels, outChannels] as const,
    window: sameSize(height, width),
    seed,
  }));

describe('3×3 convolutions at stride 1 by Winograd’s F(2×2, 3×3)', () => {
  it('take only 3×3 filters at stride 1 that keep an even size, with channels in whole vectors and panels', () => {
    const ok = (height: number, width: number, channels: number, outChannels: number, window = sameSize(height, width), kernel = 3) =>
      withPolicy({ winogradFromChannels: 4 }, () => convolvesByWinograd([2, height, width, channels], [kernel, kernel, channels, outChannels], window));
    expect(ok(8, 8, 4, 8)).toBe(true);
    expect(ok(32, 32, 64, 64)).toBe(true);
    expect(ok(4, 4, 512, 512)).toBe(true);
    expect(ok(7, 8, 4, 8)).toBe(false); // odd height
    expect(ok(2, 2, 4, 8)).toBe(false); // one tile per image: not a whole tile of the product's rows
    expect(ok(8, 8, 3, 8)).toBe(false); // channels not in whole vectors
    expect(ok(8, 8, 4, 12)).toBe(false); // out channels not in whole panels
    expect(ok(8, 8, 4, 8, sameSize(8, 8), 5)).toBe(false);
    expect(ok(8, 8, 4, 8, { ...sameSize(4, 4), strideHeight: 2, strideWidth: 2 })).toBe(false);
    expect(ok(8, 8, 4, 8, { ...sameSize(8, 8), dilationHeight: 2 })).toBe(false);
    expect(ok(8, 8, 4, 8, { ...sameSize(6, 6), padTop: 0, padLeft: 0 })).toBe(false);
    // Fewer channels than the policy's threshold stay with the direct kernels.
    expect(withPolicy({ winogradFromChannels: 32 }, () => convolvesByWinograd([2, 8, 8, 16], [3, 3, 16, 16], sameSize(8, 8)))).toBe(false);
  });

  it('match the definition in float64 to float32 roundoff, in blocks of rows of tiles, of whole images or of several', () => {
    const gemm = createGemm('relaxed-madd')!;
    fc.assert(
      fc.property(winogradCases, fc.constantFrom(16, 96, 1 << 20), (c, blockFloats) => {
        withPolicy({ winogradFromChannels: 4, winogradBlockFloats: blockFloats }, () => {
          expect(convolvesByWinograd(c.image, c.filter, c.window)).toBe(true);
          expect(convolutionError(gemm, c)).toBeLessThan(1e-5);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('give the filter gradient the definition gives, summed over blocks of one image or several', () => {
    const gemm = createGemm('relaxed-madd')!;
    fc.assert(
      fc.property(winogradCases, fc.constantFrom(1, 40, 1 << 20), (c, sumTiles) => {
        withPolicy({ winogradFromChannels: 4, winogradSumTiles: sumTiles }, () => {
          expect(convolvesByWinograd(c.image, c.filter, c.window)).toBe(true);
          expect(filterGradientError(gemm, c)).toBeLessThan(1e-5);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('take ResNet-18’s layers (64 to 512 channels) and their filter gradients to float32 roundoff', () => {
    const gemm = createGemm('relaxed-madd')!;
    for (const [size, channels] of [[8, 64], [4, 128]] as const) {
      const c: ConvolutionCase = { image: [3, size, size, channels], filter: [3, 3, channels, channels], window: sameSize(size, size), seed: channels };
      expect(convolvesByWinograd(c.image, c.filter, c.window)).toBe(true);
      expect(convolutionError(gemm, c)).toBeLessThan(1e-5);
      expect(filterGradientError(gemm, c)).toBeLessThan(1e-5);
    }
  });
});
