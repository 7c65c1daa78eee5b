import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../train/rng';
import { prepareBackends, relativeError } from './testing/backend-parity';

type Padding = 'valid' | 'same' | number;

interface PoolCase {
  readonly shape: [number, number, number, number];
  readonly filter: number;
  readonly stride: number;
  readonly pad: Padding;
  /**
   * Values drawn from this many levels around 0, so windows often hold tied
   * maxima (as after a ReLU); null draws continuous values.
   */
  readonly levels: number | null;
  /**
   * Where the windows do not tile the image the stock WASM kernel still runs,
   * and it sends a window's gradient to its first pixel whenever the window's
   * maximum is ≤ 0 (and breaks ties next to padding its own way): those cases
   * draw positive, distinct values only.
   */
  readonly tiles: boolean;
  readonly seed: number;
}

const cases: fc.Arbitrary<PoolCase> = fc
  .record({
    shape: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 7 })),
    filter: fc.constantFrom(1, 2, 3),
    // Mostly stride = filter (the tiling windows the composed kernel handles), sometimes not (the stock kernel's).
    stride: fc.constantFrom(1, 2, 3, 0),
    pad: fc.constantFrom<Padding>('valid', 'valid', 'same', 0, 1),
    levels: fc.constantFrom<number | null>(2, 3, null),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map((c) => {
    const stride = c.stride === 0 ? c.filter : c.stride;
    const tiles = stride === c.filter && (c.pad === 'valid' || c.pad === 0 || c.filter === 1);
    return { ...c, stride, tiles, levels: tiles ? c.levels : null };
  })
  .filter((c) => {
    if (typeof c.pad === 'number' && 2 * c.pad >= c.filter + 1) return false;
    try {
      const info = tf.backend_util.computePool2DInfo(c.shape, c.filter, c.stride, 1, c.pad);
      return info.outHeight > 0 && info.outWidth > 0;
    } catch {
      return false;
    }
  });

interface PoolRun {
  readonly gradient: Float32Array;
  readonly leakedTensors: number;
  readonly leakedBuffers: number;
}

async function poolGradient(backend: 'cpu' | 'wasm', c: PoolCase): Promise<PoolRun> {
  await tf.setBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.engine().backend.numDataIds();
  const rng = new Rng(c.seed);
  const size = c.shape.reduce((a, b) => a * b, 1);
  const gradient = tf.tidy(() => {
    const draw = () => (c.levels !== null ? Math.floor(rng.uniform(0, c.levels)) - 1 : c.tiles ? rng.uniform(-1, 1) : rng.uniform(0.1, 1));
    const x = tf.tensor4d(Float32Array.from({ length: size }, draw), c.shape);
    const pool = (input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, c.filter, c.stride, c.pad);
    const outShape = pool(x).shape;
    const weighting = tf.tensor(Float32Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)), outShape);
    return tf.grad((input) => tf.sum(tf.mul(pool(input), weighting)))(x);
  });
  const values = gradient.dataSync() as Float32Array;
  gradient.dispose();
  return { gradient: values, leakedTensors: tf.memory().numTensors - tensorsBefore, leakedBuffers: tf.engine().backend.numDataIds() - buffersBefore };
}

describe('MaxPoolGrad on wasm', () => {
  beforeAll(prepareBackends);

  it('sends a window’s gradient to its first maximum when that maximum is negative (the stock kernel picks the first pixel)', async () => {
    const gradient = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      return tf.tidy(() => Array.from(tf.grad((x) => tf.sum(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')))(tf.tensor4d([-4, -1, -3, -2], [1, 2, 2, 1])).dataSync()));
    };
    expect(await gradient('wasm')).toEqual([0, 1, 0, 0]);
    expect(await gradient('cpu')).toEqual([0, 1, 0, 0]);
  });

  it('gives the CPU backend’s gradient, ties and negative values included, for random shapes, windows, strides and paddings', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const wasm = await poolGradient('wasm', c);
        const cpu = await poolGradient('cpu', c);
        expect(relativeError(wasm.gradient, cpu.gradient)).toBeLessThan(1e-6);
        expect(wasm.leakedTensors).toBe(0);
        expect(wasm.leakedBuffers).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
