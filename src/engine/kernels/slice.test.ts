import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../train/rng';
import { prepareBackends, runOn } from './testing/backend-parity';

interface SliceCase {
  readonly shape: number[];
  readonly begin: number[];
  readonly size: number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly seed: number;
}

/** Ranks 1–6, each axis cut anywhere (sometimes kept whole, sometimes empty; −1 = to the end). */
const cases: fc.Arbitrary<SliceCase> = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      cuts: fc.tuple(...shape.map((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n }), fc.boolean()))),
      dtype: fc.constantFrom<'float32' | 'int32' | 'bool'>('float32', 'float32', 'int32', 'bool'),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    }),
  )
  .map(({ shape, cuts, dtype, seed }) => {
    const begin = cuts.map(([a, b]) => Math.min(a, b));
    const size = cuts.map(([a, b, toEnd]) => (toEnd ? -1 : Math.max(a, b) - Math.min(a, b)));
    return { shape, begin, size, dtype, seed };
  });

function sliced(backend: 'cpu' | 'wasm', c: SliceCase) {
  const rng = new Rng(c.seed);
  const count = c.shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: count }, () => Math.round(rng.uniform(-100, 100)));
  return runOn(backend, () => tf.slice(tf.tensor(values, c.shape, c.dtype), c.begin, c.size));
}

describe('Slice on wasm', () => {
  beforeAll(prepareBackends);

  it('gives the CPU backend’s slice for random ranks, shapes, cuts and dtypes', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const wasm = await sliced('wasm', c);
        const cpu = await sliced('cpu', c);
        expect(wasm.shape).toEqual(cpu.shape);
        expect(wasm.values).toEqual(cpu.values);
        expect(wasm.leakedTensors).toBe(0);
        expect(wasm.leakedBuffers).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
