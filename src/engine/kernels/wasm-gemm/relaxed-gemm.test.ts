import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../train/rng';
import { convolvesInFrames, filterGradientInFramesBy } from './frame-convolution';
import { createGemm, relaxedGemmPolicy, relaxedGemm, type Gemm, type Shape4D, type Transposed, type Window } from './relaxed-gemm';

function randomMatrix(length: number, rng: Rng): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = rng.uniform(-1, 1);
  return values;
}

/**
 * The largest |difference| from a float64 product, relative to the largest |entry| of it (at least 1), with the
 * operands given transposed as `transposed` says.
 */
function errorAgainstFloat64(gemm: Gemm, m: number, k: number, n: number, seed: number, transposed: Transposed = { a: false, b: false }): number {
  const rng = new Rng(seed);
  const a = randomMatrix(m * k, rng);
  const b = randomMatrix(k * n, rng);
  const aAt = (i: number, p: number) => a[transposed.a ? p * m + i : i * k + p]!;
  const bAt = (p: number, j: number) => b[transposed.b ? j * k + p : p * n + j]!;
  // Poisoned output: every entry must be written.
  const out = new Float32Array(m * n).fill(Number.NaN);
  gemm.multiply(a, b, m, k, n, out, transposed);
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += aAt(i, p) * bAt(p, j);
      scale = Math.max(scale, Math.abs(sum));
      const difference = Math.abs(out[i * n + j]! - sum);
      worst = Number.isNaN(difference) ? Infinity : Math.max(worst, difference);
    }
  }
  return worst / scale;
}

const shapes = fc.record({
  m: fc.integer({ min: 1, max: 37 }),
  k: fc.integer({ min: 1, max: 70 }),
  n: fc.integer({ min: 1, max: 37 }),
  packA: fc.boolean(),
  transposed: fc.record({ a: fc.boolean(), b: fc.boolean() }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

/** Runs `check` with A packed into tiles before multiplying, or read in place. */
function withPackedA<T>(packA: boolean, check: () => T): T {
  const saved = relaxedGemmPolicy.packA;
  relaxedGemmPolicy.packA = packA;
  try {
    return check();
  } finally {
    relaxedGemmPolicy.packA = saved;
  }
}

describe('relaxed-SIMD matrix product', () => {
  it('compiles here (Node is started with relaxed SIMD, as Chromium has it)', () => {
    expect(relaxedGemm()).not.toBeNull();
  });

  for (const multiplyAdd of ['relaxed-madd', 'mul-add'] as const) {
    it(`${multiplyAdd}: matches a float64 product on random shapes, whole tiles or not, one instance reused across sizes`, () => {
      const gemm = createGemm(multiplyAdd);
      if (gemm === null) throw new Error('module did not compile');
      fc.assert(
        fc.property(shapes, ({ m, k, n, packA, transposed, seed }) => {
          expect(withPackedA(packA, () => errorAgainstFloat64(gemm, m, k, n, seed, transposed))).toBeLessThan(1e-5);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('handles the MLP’s first layer and a product that grows the memory', () => {
    const gemm = createGemm('relaxed-madd')!;
    expect(errorAgainstFloat64(gemm, 128, 784, 300, 1)).toBeLessThan(1e-5);
    expect(errorAgainstFloat64(gemm, 3, 5, 2, 2)).toBeLessThan(1e-5);
    expect(errorAgainstFloat64(gemm, 260, 1030, 33, 3)).toBeLessThan(1e-5);
  });

  it('reads a linear layer’s transposed operands in place: its forward product and its weight gradient', () => {
    const gemm = createGemm('relaxed-madd')!;
    // x·Wᵀ with W [300×784], and dyᵀ·x with dy [128×300]; odd sizes leave part-filled tiles and panels.
    expect(errorAgainstFloat64(gemm, 128, 784, 300, 4, { a: false, b: true })).toBeLessThan(1e-5);
    expect(errorAgainstFloat64(gemm, 300, 128, 784, 5, { a: true, b: false })).toBeLessThan(1e-5);
    expect(errorAgainstFloat64(gemm, 37, 13, 21, 6, { a: true, b: true })).toBeLessThan(1e-5);
  });

  it('refuses arrays shorter than the shapes say', () => {
    const gemm = createGemm('relaxed-madd')!;
    expect(() => gemm.multiply(new Float32Array(5), new Float32Array(6), 2, 3, 2, new Float32Array(4))).toThrow(/too short/);
  });
});

interface ConvolutionCase {
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
function worstError(out: Float32Array, expected: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(out[i]! - expected[i]!);
    worst = Number.isNaN(difference) ? Infinity : Math.max(worst, difference);
  }
  return worst / expected.reduce((largest, value) => Math.max(largest, Math.abs(value)), 1);
}

/** The convolution straight from its definition, in float64. */
function referenceConvolution(image: Float32Array, c: ConvolutionCase): Float64Array {
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

const imageOf = (c: ConvolutionCase) => randomMatrix(c.image.reduce((a, b) => a * b, 1), new Rng(c.seed));
const filterOf = (c: ConvolutionCase) => randomMatrix(c.filter.reduce((a, b) => a * b, 1), new Rng(c.seed + 1));

const small = (max: number) => fc.integer({ min: 1, max });

/** Runs `check` with im2col written as rows of A (as for many channels) or transposed, one row per tap (as for few). */
function withIm2colLayout<T>(transposed: boolean, check: () => T): T {
  const saved = relaxedGemmPolicy.transposedIm2colBelow;
  relaxedGemmPolicy.transposedIm2colBelow = transposed ? Infinity : 0;
  try {
    return check();
  } finally {
    relaxedGemmPolicy.transposedIm2colBelow = saved;
  }
}
/** Any stride, dilation and padding (negative too: the backward passes crop that way) with an output size the image can fill or not. */
const convolutionCases: fc.Arbitrary<ConvolutionCase> = fc
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

function convolutionError(gemm: Gemm, c: ConvolutionCase): number {
  const image = imageOf(c);
  const expected = referenceConvolution(image, c);
  const out = new Float32Array(expected.length).fill(Number.NaN);
  gemm.convolve(image, c.image, filterOf(c), c.filter, c.window, out);
  return worstError(out, expected);
}

describe('relaxed-SIMD convolution (im2col and the product)', () => {
  it('matches the definition for random shapes, strides, dilations, paddings and output sizes, im2col as rows or transposed', () => {
    const gemm = createGemm('relaxed-madd')!;
    fc.assert(
      fc.property(convolutionCases, fc.boolean(), (c, transposed) => {
        expect(withIm2colLayout(transposed, () => convolutionError(gemm, c))).toBeLessThan(1e-5);
      }),
      { numRuns: 400 },
    );
  });

  it.each([false, true])('splits many output pixels into blocks without losing any (im2col transposed: %s)', (transposed) => {
    const gemm = createGemm('relaxed-madd')!;
    const window = { strideHeight: 1, strideWidth: 1, padTop: 1, padLeft: 1, dilationHeight: 1, dilationWidth: 1, outHeight: 12, outWidth: 12 };
    // k = 3·3·64 = 576: blocks of 224 pixels, 288 pixels in all.
    expect(withIm2colLayout(transposed, () => convolutionError(gemm, { image: [2, 12, 12, 64], filter: [3, 3, 64, 10], window, seed: 5 }))).toBeLessThan(1e-5);
  });

  it('refuses a filter whose input channels do not match the image', () => {
    const gemm = createGemm('relaxed-madd')!;
    const window = { strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0, dilationHeight: 1, dilationWidth: 1, outHeight: 1, outWidth: 1 };
    expect(() => gemm.convolve(new Float32Array(4), [1, 1, 1, 4], new Float32Array(6), [1, 1, 3, 2], window, new Float32Array(2))).toThrow(/channels/);
  });
});

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

function filterGradientError(gemm: Gemm, c: ConvolutionCase): number {
  const image = imageOf(c);
  const outChannels = c.filter[3];
  const pixels = c.image[0] * c.window.outHeight * c.window.outWidth;
  const dy = randomMatrix(pixels * outChannels, new Rng(c.seed + 2));
  const expected = referenceFilterGradient(image, dy, c);
  const out = new Float32Array(expected.length).fill(Number.NaN);
  gemm.filterGradient(image, c.image, dy, c.filter, c.window, out);
  return worstError(out, expected);
}

describe('relaxed-SIMD filter gradient (im2col blocks summed into the product)', () => {
  it('matches the definition for random shapes, strides, dilations, paddings and output sizes, im2col as rows or transposed', () => {
    const gemm = createGemm('relaxed-madd')!;
    fc.assert(
      fc.property(convolutionCases, fc.boolean(), fc.boolean(), (c, transposed, packA) => {
        expect(withPackedA(packA, () => withIm2colLayout(transposed, () => filterGradientError(gemm, c)))).toBeLessThan(1e-5);
      }),
      { numRuns: 400 },
    );
  });

  it.each([false, true])('sums many blocks of pixels, with taps that are not whole panels (im2col transposed: %s)', (transposed) => {
    const gemm = createGemm('relaxed-madd')!;
    const window = { strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 1, dilationHeight: 1, dilationWidth: 1, outHeight: 16, outWidth: 16 };
    // taps = 3·3·45 = 405, padded to 408: blocks of 321 pixels, 8·16·16 = 2048 in all.
    expect(withIm2colLayout(transposed, () => filterGradientError(gemm, { image: [8, 32, 32, 45], filter: [3, 3, 45, 6], window, seed: 9 }))).toBeLessThan(1e-5);
  });
});

/** Runs `check` with convolutions read from padded images (frames) in place where a kernel can, or all through im2col. */
function withFrames<T>(inPlace: boolean, check: () => T): T {
  const saved = relaxedGemmPolicy.framesWithoutIm2col;
  relaxedGemmPolicy.framesWithoutIm2col = inPlace;
  try {
    return check();
  } finally {
    relaxedGemmPolicy.framesWithoutIm2col = saved;
  }
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

function inputGradientError(gemm: Gemm, c: ConvolutionCase): number {
  const filter = filterOf(c);
  const pixels = c.image[0] * c.window.outHeight * c.window.outWidth;
  const dy = randomMatrix(pixels * c.filter[3], new Rng(c.seed + 2));
  const expected = referenceInputGradient(dy, filter, c);
  const out = new Float32Array(expected.length).fill(Number.NaN);
  gemm.inputGradient(dy, filter, c.filter, c.image, c.window, out);
  return worstError(out, expected);
}

describe('relaxed-SIMD input gradient (the product, then col2im)', () => {
  it('matches the definition for random shapes, strides, dilations, paddings and output sizes', () => {
    const gemm = createGemm('relaxed-madd')!;
    fc.assert(
      fc.property(convolutionCases, (c) => {
        expect(inputGradientError(gemm, c)).toBeLessThan(1e-5);
      }),
      { numRuns: 300 },
    );
  });

  it('takes many images in blocks of whole images', () => {
    const gemm = createGemm('relaxed-madd')!;
    const window = { strideHeight: 2, strideWidth: 2, padTop: 2, padLeft: 2, dilationHeight: 1, dilationWidth: 1, outHeight: 12, outWidth: 12 };
    // taps = 5·5·21 = 525, padded to 528: an image's cols are 144 × 528 floats, so a 512 KB block holds 1 image.
    expect(inputGradientError(gemm, { image: [3, 24, 24, 21], filter: [5, 5, 21, 7], window, seed: 13 })).toBeLessThan(1e-5);
  });
});
