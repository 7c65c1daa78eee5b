import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../train/rng';
import { createGemm, relaxedGemm, type Gemm } from './relaxed-gemm';

function randomMatrix(length: number, rng: Rng): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = rng.uniform(-1, 1);
  return values;
}

/** The largest |difference| from a float64 product, relative to the largest |entry| of it (at least 1). */
function errorAgainstFloat64(gemm: Gemm, m: number, k: number, n: number, seed: number): number {
  const rng = new Rng(seed);
  const a = randomMatrix(m * k, rng);
  const b = randomMatrix(k * n, rng);
  // Poisoned output: every entry must be written.
  const out = new Float32Array(m * n).fill(Number.NaN);
  gemm.multiply(a, b, m, k, n, out);
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p]! * b[p * n + j]!;
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
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('relaxed-SIMD matrix product', () => {
  it('compiles here (Node is started with relaxed SIMD, as Chromium has it)', () => {
    expect(relaxedGemm()).not.toBeNull();
  });

  for (const multiplyAdd of ['relaxed-madd', 'mul-add'] as const) {
    it(`${multiplyAdd}: matches a float64 product on random shapes, whole tiles or not, one instance reused across sizes`, () => {
      const gemm = createGemm(multiplyAdd);
      if (gemm === null) throw new Error('module did not compile');
      fc.assert(
        fc.property(shapes, ({ m, k, n, seed }) => {
          expect(errorAgainstFloat64(gemm, m, k, n, seed)).toBeLessThan(1e-5);
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

  it('refuses arrays shorter than the shapes say', () => {
    const gemm = createGemm('relaxed-madd')!;
    expect(() => gemm.multiply(new Float32Array(5), new Float32Array(6), 2, 3, 2, new Float32Array(4))).toThrow(/too short/);
  });
});
