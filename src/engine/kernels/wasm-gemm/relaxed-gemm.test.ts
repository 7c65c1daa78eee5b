import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../train/rng';
import { createGemm, relaxedGemm, type Gemm, type Transposed } from './relaxed-gemm';
import {
  convolutionCases,
  convolutionError,
  filterGradientError,
  inputGradientError,
  randomMatrix,
} from './testing/convolution-definitions';
import { withPolicy } from './testing/with-policy';

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
  return withPolicy({ packA }, check);
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

/** Runs `check` with im2col written as rows of A (as for many channels) or transposed, one row per tap (as for few). */
function withIm2colLayout<T>(transposed: boolean, check: () => T): T {
  return withPolicy({ transposedIm2colBelow: transposed ? Infinity : 0 }, check);
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
