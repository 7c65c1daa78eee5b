import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../train/rng';
import { prepareBackends, randomValues, relativeError, runOn } from './testing/backend-parity';

interface ReductionCase {
  readonly shape: number[];
  /** Reduced axes, given as the caller may: a list in any order, negative, or one number. */
  readonly axis: number | number[];
  readonly keepDims: boolean;
  readonly op: 'sum' | 'mean';
  readonly seed: number;
}

/** Mostly every axis but the last (the composed path), sometimes other axes (the stock one). */
const cases: fc.Arbitrary<ReductionCase> = fc
  .record({
    shape: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
    pick: fc.constantFrom('all-but-last', 'all-but-last', 'all-but-last-negative', 'other'),
    other: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    keepDims: fc.boolean(),
    op: fc.constantFrom<'sum' | 'mean'>('sum', 'mean'),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map(({ shape, pick, other, keepDims, op, seed }) => {
    const rank = shape.length;
    const allButLast = Array.from({ length: rank - 1 }, (_, i) => i);
    let axis: number | number[];
    if (pick === 'all-but-last') axis = rank === 2 ? 0 : allButLast.reverse();
    else if (pick === 'all-but-last-negative') axis = allButLast.map((a) => a - rank);
    else axis = shape.map((_, i) => i).filter((i) => other[i]);
    return { shape, axis, keepDims, op, seed };
  });

function reduce(backend: 'cpu' | 'wasm', c: ReductionCase) {
  const values = randomValues(c.shape, new Rng(c.seed));
  return runOn(backend, () => {
    const x = tf.tensor(values, c.shape);
    return c.op === 'sum' ? tf.sum(x, c.axis, c.keepDims) : tf.mean(x, c.axis, c.keepDims);
  });
}

describe('Sum and Mean on wasm', () => {
  beforeAll(prepareBackends);

  it('give the CPU backend’s results for random shapes, axes and keepDims', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const wasm = await reduce('wasm', c);
        const cpu = await reduce('cpu', c);
        expect(wasm.shape).toEqual(cpu.shape);
        expect(relativeError(wasm.values as Float32Array, cpu.values as Float32Array)).toBeLessThan(1e-5);
        expect(wasm.leakedTensors).toBe(0);
        expect(wasm.leakedBuffers).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it('give the CPU backend’s per-channel sums of a full ResNet activation (one pooling window of 131,072 rows)', async () => {
    const shape = [128, 32, 32, 3];
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      return tf.tidy(() => tf.sum(tf.tensor(randomValues(shape, new Rng(5)), shape), [0, 1, 2]).dataSync() as Float32Array);
    };
    expect(relativeError(await run('wasm'), await run('cpu'))).toBeLessThan(1e-4);
  });

  it('keep integer sums exact (those stay on the stock kernel)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([[2 ** 24, 1], [1, 2]], [2, 2], 'int32');
    const sum = tf.sum(x, 0);
    expect(sum.dtype).toBe('int32');
    expect(Array.from(sum.dataSync())).toEqual([2 ** 24 + 1, 3]);
    tf.dispose([x, sum]);
  });
});
