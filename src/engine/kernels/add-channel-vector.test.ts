import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../train/rng';
import { prepareBackends, randomValues, runOn } from './testing/backend-parity';

interface AddCase {
  readonly shape: number[];
  readonly vectorShape: number[];
  readonly vectorFirst: boolean;
  readonly seed: number;
}

/** Tensors of 2–4 axes, often past the size where the channel pass takes over, plus one value per channel as [C], [1, C] or [1, 1, C]. */
const cases: fc.Arbitrary<AddCase> = fc
  .record({
    rows: fc.integer({ min: 1, max: 1500 }),
    inner: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
    channels: fc.integer({ min: 1, max: 13 }),
    leadingOnes: fc.integer({ min: 0, max: 2 }),
    vectorFirst: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map(({ rows, inner, channels, leadingOnes, vectorFirst, seed }) => {
    const shape = [rows, ...inner, channels];
    const vectorShape = [...new Array<number>(Math.min(leadingOnes, shape.length - 1)).fill(1), channels];
    return { shape, vectorShape, vectorFirst, seed };
  });

/** x + vector (or vector + x) on `backend`, from the case's seed. */
function added(backend: 'cpu' | 'wasm', c: AddCase) {
  const rng = new Rng(c.seed);
  const [values, vectorValues] = [randomValues(c.shape, rng), randomValues(c.vectorShape, rng)];
  return runOn(backend, () => {
    const x = tf.tensor(values, c.shape);
    const vector = tf.tensor(vectorValues, c.vectorShape);
    return c.vectorFirst ? tf.add(vector, x) : tf.add(x, vector);
  });
}

describe('Add of one value per channel on wasm', () => {
  beforeAll(prepareBackends);

  it('is bit for bit the CPU backend’s sum, whatever the channel count, either operand order, nothing leaked', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const wasm = await added('wasm', c);
        const cpu = await added('cpu', c);
        expect(wasm.shape).toEqual(cpu.shape);
        expect(wasm.values).toEqual(cpu.values);
        expect(wasm.leakedTensors).toBe(0);
        expect(wasm.leakedBuffers).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('leaves other broadcasts to the stock kernel, still correct', async () => {
    await tf.setBackend('wasm');
    const sum = tf.tidy(() => tf.add(tf.ones([2000, 3]), tf.tensor2d([[1], [2]], [2, 1]).tile([1000, 1])).sum(0).arraySync());
    expect(sum).toEqual([5000, 5000, 5000]);
  });
});
