import { describe, expect, it } from 'vitest';
import { Rng } from '../train/rng';
import { augmentBatch, type RandomSource } from './augment';

/** Plays back fixed draws, to put the crop and flip exactly where a test wants them. */
function scripted(values: number[]): RandomSource & { used: number } {
  return {
    used: 0,
    next() {
      if (this.used >= values.length) throw new Error('ran out of scripted draws');
      return values[this.used++]!;
    },
  };
}

// 2×3 image, 2 channels: channel 0 holds 1..6, channel 1 holds 10×.
const image = Uint8Array.from([1, 2, 3, 4, 5, 6].flatMap((v) => [v, 10 * v]));
const channel = (out: Uint8Array, c: number) => Array.from(out.filter((_, i) => i % 2 === c));

describe('augmentBatch', () => {
  // Padding 1: three offsets per axis, picked by draws 0 → 0, 0.5 → 1, 0.99 → 2.
  // Padded channel 0:   0 0 0 0 0 / 0 1 2 3 0 / 0 4 5 6 0 / 0 0 0 0 0
  it('crops at the top-left corner of the padded image', () => {
    const out = augmentBatch(image, 1, 2, 3, 2, scripted([0, 0, 0.9]), { padding: 1 });
    expect(channel(out, 0)).toEqual([0, 0, 0, 0, 1, 2]);
    expect(channel(out, 1)).toEqual([0, 0, 0, 0, 10, 20]);
  });

  it('crops at the bottom-right corner, then mirrors', () => {
    // Crop rows 2–3, columns 2–4: [5 6 0 / 0 0 0]; mirrored: [0 6 5 / 0 0 0].
    const out = augmentBatch(image, 1, 2, 3, 2, scripted([0.99, 0.99, 0.1]), { padding: 1 });
    expect(channel(out, 0)).toEqual([0, 6, 5, 0, 0, 0]);
    expect(channel(out, 1)).toEqual([0, 60, 50, 0, 0, 0]);
  });

  it('centre crop is the identity, and the flip alone mirrors each row', () => {
    expect(augmentBatch(image, 1, 2, 3, 2, scripted([0.5, 0.5, 0.7]), { padding: 1 })).toEqual(image);
    const mirrored = augmentBatch(image, 1, 2, 3, 2, scripted([0.5, 0.5, 0.2]), { padding: 1 });
    expect(channel(mirrored, 0)).toEqual([3, 2, 1, 6, 5, 4]);
  });

  it('without flipping draws two numbers per image and never mirrors', () => {
    const rng = scripted([0.5, 0.5, 0.5, 0.5]);
    const out = augmentBatch(new Uint8Array([...image, ...image]), 2, 2, 3, 2, rng, { padding: 1, flip: false });
    expect(rng.used).toBe(4);
    expect(out).toEqual(new Uint8Array([...image, ...image]));
  });

  it('keeps the shape, is reproducible by seed and differs across seeds', () => {
    const count = 16;
    const batch = Uint8Array.from({ length: count * 32 * 32 * 3 }, (_, i) => (i * 13) % 251);
    const run = (seed: number) => augmentBatch(batch, count, 32, 32, 3, Rng.stream(seed, 'augment'));
    const a = run(1);
    expect(a.length).toBe(batch.length);
    expect(a).not.toBe(batch);
    expect(run(1)).toEqual(a);
    expect(run(2)).not.toEqual(a);
    expect(batch[0]).toBe(0); // the input is left alone
  });

  it('spreads offsets over 0..8 and flips about half the time (default padding 4)', () => {
    const rng = new Rng(5);
    const draws: number[] = [];
    const recording = {
      next: () => {
        const v = rng.next();
        draws.push(v);
        return v;
      },
    };
    augmentBatch(new Uint8Array(2000 * 4 * 4), 2000, 4, 4, 1, recording);
    expect(draws.length).toBe(6000);
    const offsets = draws.filter((_, i) => i % 3 !== 2).map((v) => Math.floor(v * 9));
    expect(new Set(offsets)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8]));
    const flips = draws.filter((v, i) => i % 3 === 2 && v < 0.5).length;
    expect(flips / 2000).toBeGreaterThan(0.45);
    expect(flips / 2000).toBeLessThan(0.55);
  });

  it('pads with zeros: a shift by 4 blanks four rows or columns', () => {
    const white = new Uint8Array(8 * 8).fill(255);
    // top offset 0 → shifted down by 4; left offset 4 (0.5 · 9 = 4.5 → 4) → no horizontal shift.
    const out = augmentBatch(white, 1, 8, 8, 1, scripted([0, 0.5, 0.9]));
    for (let y = 0; y < 8; y++)
      expect(Array.from(out.subarray(y * 8, y * 8 + 8))).toEqual(new Array(8).fill(y < 4 ? 0 : 255));
  });
});
