import fc from 'fast-check';
import { Rng } from '../../../train/rng';
import type { Gemm, Shape4D, Window } from '../relaxed-gemm';

/**
 * Convolutions straight from their definitions, in float64, and random cases
 * of them, for the product's tests (relaxed-gemm.test.ts,
 * frame-convolution.test.ts).
 */

export function randomMatrix(length: number, rng: Rng): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = rng.uniform(-1, 1);
  return values;
}

export interface ConvolutionCase {
  readonly image: Shape4D;
  readonly filter: Shape4D;
  readonly window: Window;
  readonly seed: number;
}

/**
 * Every tap of the case's window that lands inside the image: output pixel
 * (b, oy, ox), filter tap (ky, kx), and the image pixel (iy, ix) it reads.
 */
function forEachTap(c: ConvolutionCase, visit: (b: number, oy: number, ox: number, ky: number, kx: number, iy: number, ix: number) => void): void {
  const [batch, height, width] = c.image;
  const [kernelHeight, kernelWidth] = c.filter;
  const w = c.window;
  for (let b = 0; b < batch; b++)
    for (let oy = 0; oy < w.outHeight; oy++)
      for (let ox = 0; ox < w.outWidth; ox++)
        for (let ky = 0; ky < kernelHeight; ky++)
          for (let kx = 0; kx < kernelWidth; kx++) {
            const iy = oy * w.strideHeight - w.padTop + ky * w.dilationHeight;
            const ix = ox * w.strideWidth - w.padLeft + kx * w.dilationWidth;
            if (iy >= 0 && iy < height && ix >= 0 && ix < width) visit(b, oy, ox, ky, kx, iy, ix);
          }
}

/** Largest |out − expected| relative to the largest |expected| (at least 1); a NaN anywhere (an unwritten float) is Infinity. */
export function worstError(out: Float32Array, expected: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(out[i]! - expected[i]!);
    worst = Number.isNaN(difference) ? Infinity : Math.max(worst, difference);
  }
  return worst / expected.reduce((largest, value) => Math.max(largest, Math.abs(value)), 1);
}

/** The convolution straight from its definition, in float64. */
export function referenceConvolution(image: Float32Array, c: ConvolutionCase): Float64Array {
  const [, height, width, channels] = c.image;
  const [, kernelWidth, , outChannels] = c.filter;
  const w = c.window;
  const out = new Float64Array(c.image[0] * w.outHeight * w.outWidth * outChannels);
  const filter = filterOf(c);
  forEachTap(c, (b, oy, ox, ky, kx, iy, ix) => {
    for (let o = 0; o < outChannels; o++) {
      const at = ((b * w.outHeight + oy) * w.outWidth + ox) * outChannels + o;
      for (let ch = 0; ch < channels; ch++) {
        out[at] = out[at]! + image[((b * height + iy) * width + ix) * channels + ch]! * filter[((ky * kernelWidth + kx) * channels + ch) * outChannels + o]!;
      }
    }
  });
  return out;
}

export const imageOf = (c: ConvolutionCase) => randomMatrix(c.image.reduce((a, b) => a * b, 1), new Rng(c.seed));
export const filterOf = (c: ConvolutionCase) => randomMatrix(c.filter.reduce((a, b) => a * b, 1), new Rng(c.seed + 1));

const small = (max: number) => fc.integer({ min: 1, max });

/** Any stride, dilation and padding (negative too: the backward passes crop that way) with an output size the image can fill or not. */
export const convolutionCases: fc.Arbitrary<ConvolutionCase> = fc
  .record({
    batch: small(3),
    height: small(9),
    width: small(9),
    channels: small(9),
    kernelHeight: small(3),
    kernelWidth: small(3),
    outChannels: small(11),
    strideHeight: small(2),
    strideWidth: small(2),
    dilationHeight: small(2),
    dilationWidth: small(2),
    padTop: fc.integer({ min: -2, max: 2 }),
    padLeft: fc.integer({ min: -2, max: 2 }),
    outHeight: small(8),
    outWidth: small(8),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 2 }),
  })
  .map((r) => ({
    image: [r.batch, r.height, r.width, r.channels] as const,
    filter: [r.kernelHeight, r.kernelWidth, r.channels, r.outChannels] as const,
    window: r,
    seed: r.seed,
  }));

export function convolutionError(gemm: Gemm, c: ConvolutionCase): number {
  const image = imageOf(c);
  const expected = referenceConvolution(image, c);
  const out = new Float32Array(expected.length).fill(Number.NaN);
  gemm.convolve(image, c.image, filterOf(c), c.filter, c.window, out);
  return worstError(out, expected);
}

/** The filter gradient straight from its definition, in float64: dW[ky, kx, c, o] = Σ x[b, iy, ix, c] · dy[b, oy, ox, o]. */
function referenceFilterGradient(image: Float32Array, dy: Float32Array, c: ConvolutionCase): Float64Array {
  const [, height, width, channels] = c.image;
  const [kernelHeight, kernelWidth, , outChannels] = c.filter;
  const w = c.window;
  const out = new Float64Array(kernelHeight * kernelWidth * channels * outChannels);
  forEachTap(c, (b, oy, ox, ky, kx, iy, ix) => {
    for (let ch = 0; ch < channels; ch++)
      for (let o = 0; o < outChannels; o++) {
        const at = ((ky * kernelWidth + kx) * channels + ch) * outChannels + o;
        out[at] = out[at]! + image[((b * height + iy) * width + ix) * channels + ch]! * dy[((b * w.outHeight + oy) * w.outWidth + ox) * outChannels + o]!;
      }
  });
  return out;
}

export function filterGradientError(gemm: Gemm, c: ConvolutionCase): number {
  const image = imageOf(c);
  const outChannels = c.filter[3];
  const pixels = c.image[0] * c.window.outHeight * c.window.outWidth;
  const dy = randomMatrix(pixels * outChannels, new Rng(c.seed + 2));
  const expected = referenceFilterGradient(image, dy, c);
  const out = new Float32Array(expected.length).fill(Number.NaN);
  gemm.filterGradient(image, c.image, dy, c.filter, c.window, out);
  return worstError(out, expected);
}

/** The input gradient straight from its definition, in float64: dx[b, iy, ix, c] = Σ dy[b, oy, ox, o] · w[ky, kx, c, o] over the taps that read x[b, iy, ix]. */
function referenceInputGradient(dy: Float32Array, filter: Float32Array, c: ConvolutionCase): Float64Array {
  const [batch, height, width, channels] = c.image;
  const [, kernelWidth, , outChannels] = c.filter;
  const w = c.window;
  const out = new Float64Array(batch * height * width * channels);
  forEachTap(c, (b, oy, ox, ky, kx, iy, ix) => {
    for (let ch = 0; ch < channels; ch++)
      for (let o = 0; o < outChannels; o++) {
        const at = ((b * height + iy) * width + ix) * channels + ch;
        out[at] = out[at]! + dy[((b * w.outHeight + oy) * w.outWidth + ox) * outChannels + o]! * filter[((ky * kernelWidth + kx) * channels + ch) * outChannels + o]!;
      }
  });
  return out;
}

export function inputGradientError(gemm: Gemm, c: ConvolutionCase): number {
  const filter = filterOf(c);
  const pixels = c.image[0] * c.window.outHeight * c.window.outWidth;
  const dy = randomMatrix(pixels * c.filter[3], new Rng(c.seed + 2));
  const expected = referenceInputGradient(dy, filter, c);
  const out = new Float32Array(expected.length).fill(Number.NaN);
  gemm.inputGradient(dy, filter, c.filter, c.image, c.window, out);
  return worstError(out, expected);
}
