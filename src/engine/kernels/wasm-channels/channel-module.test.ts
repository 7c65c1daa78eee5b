import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../train/rng';
import { routeToFirstMaxima } from '../max-pool-grad';
import { channelFunctions } from './channel-module';

/** Regions of a fresh memory, filled with random values, at 16-byte aligned byte offsets. */
function arena(lengths: readonly number[], seed: number) {
  const memory = new WebAssembly.Memory({ initial: 1 + Math.ceil((lengths.reduce((a, b) => a + b, 0) * 4 + 16 * lengths.length) / 65536) });
  const heap = new Float32Array(memory.buffer);
  const rng = new Rng(seed);
  let at = 16;
  const regions = lengths.map((length) => {
    const region = { at, values: heap.subarray(at / 4, at / 4 + length) };
    for (let i = 0; i < length; i++) region.values[i] = rng.uniform(-2, 2);
    at += Math.ceil((length * 4) / 16) * 16;
    return region;
  });
  return { memory, regions };
}

const shapes = fc.record({ rows: fc.integer({ min: 1, max: 40 }), groups: fc.integer({ min: 1, max: 6 }), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }) });
const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));

describe('per-channel SIMD passes over an imported memory', () => {
  it('sum rows, and products of shifted operands, per channel', () => {
    fc.assert(
      fc.property(shapes, ({ rows, groups, seed }) => {
        const channels = 4 * groups;
        const { memory, regions } = arena([rows * channels, rows * channels, channels, channels, channels, channels], seed);
        const [x, y, xShift, shift, sums, products] = regions as [(typeof regions)[0], (typeof regions)[0], (typeof regions)[0], (typeof regions)[0], (typeof regions)[0], (typeof regions)[0]];
        const f = channelFunctions(memory)!;
        f.sumRows(x.at, rows, channels, sums.at);
        f.sumProducts(x.at, xShift.at, y.at, shift.at, rows, channels, products.at);
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          let product = 0;
          for (let r = 0; r < rows; r++) {
            sum += x.values[r * channels + c]!;
            product += (x.values[r * channels + c]! - xShift.values[c]!) * (y.values[r * channels + c]! - shift.values[c]!);
          }
          close(sums.values[c]!, sum);
          close(products.values[c]!, product);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('apply one- and two-operand affine maps per channel', () => {
    fc.assert(
      fc.property(shapes, ({ rows, groups, seed }) => {
        const channels = 4 * groups;
        const { memory, regions } = arena([rows * channels, rows * channels, channels, channels, channels, channels, rows * channels, rows * channels], seed);
        const [x, y, shift, p, q, r, out1, out2] = regions;
        const f = channelFunctions(memory)!;
        f.affine(x!.at, shift!.at, p!.at, r!.at, rows, channels, out1!.at);
        f.affine2(x!.at, p!.at, y!.at, shift!.at, q!.at, r!.at, rows, channels, out2!.at);
        for (let i = 0; i < rows * channels; i++) {
          const c = i % channels;
          close(out1!.values[i]!, (x!.values[i]! - shift!.values[c]!) * p!.values[c]! + r!.values[c]!);
          close(out2!.values[i]!, x!.values[i]! * p!.values[c]! + (y!.values[i]! - shift!.values[c]!) * q!.values[c]! + r!.values[c]!);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('passes dy through where x > 0 and 0 elsewhere (0 itself included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (vectors, seed) => {
        const { memory, regions } = arena([4 * vectors, 4 * vectors, 4 * vectors], seed);
        const [dy, x, out] = regions;
        x!.values[0] = 0;
        channelFunctions(memory)!.reluGradient(dy!.at, x!.at, vectors, out!.at);
        x!.values.forEach((value, i) => expect(out!.values[i]).toBe(value > 0 ? dy!.values[i] : 0));
      }),
      { numRuns: 40 },
    );
  });

  it('routes each k×k window’s dy to its first maximum, 4 channels or 1 at a time, ties and negative values included', () => {
    const pools = fc.record({
      batch: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 1, max: 9 }),
      width: fc.integer({ min: 1, max: 9 }),
      channels: fc.integer({ min: 1, max: 11 }),
      k: fc.integer({ min: 1, max: 3 }),
      ties: fc.boolean(),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    });
    fc.assert(
      fc.property(pools, ({ batch, height, width, channels, k, ties, seed }) => {
        const [outHeight, outWidth] = [Math.floor(height / k), Math.floor(width / k)];
        fc.pre(outHeight > 0 && outWidth > 0);
        const size = batch * height * width * channels;
        const { memory, regions } = arena([size, batch * outHeight * outWidth * channels, size], seed);
        const [x, dy, dx] = regions as [(typeof regions)[0], (typeof regions)[0], (typeof regions)[0]];
        // Few levels make tied maxima common, as after a ReLU.
        if (ties) x.values.forEach((value, i) => (x.values[i] = Math.round(value)));
        const expected = new Float32Array(size);
        routeToFirstMaxima(x.values, dy.values, expected, [batch, height, width, channels], [batch, outHeight, outWidth, channels], k);
        const f = channelFunctions(memory)!;
        for (const pass of channels >= 4 ? [f.maxPoolGradient1, f.maxPoolGradient4] : [f.maxPoolGradient1]) {
          dx.values.fill(7);
          pass(x.at, dy.at, dx.at, batch, height, width, channels, outHeight, outWidth, k);
          for (let i = 0; i < size; i++) {
            const column = Math.floor(i / channels) % width;
            const row = Math.floor(i / (channels * width)) % height;
            const inWindow = row < outHeight * k && column < outWidth * k;
            // Pixels in no window are left as they were.
            expect(dx.values[i]).toBe(inWindow ? expected[i] : 7);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is made once per memory, and over shared memory too', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(channelFunctions(memory)).toBe(channelFunctions(memory));
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    const f = channelFunctions(shared)!;
    const heap = new Float32Array(shared.buffer);
    heap.set([1, 2, 3, 4, 10, 20, 30, 40], 4);
    f.sumRows(16, 2, 4, 64);
    expect(Array.from(heap.subarray(16, 20))).toEqual([11, 22, 33, 44]);
  });
});
