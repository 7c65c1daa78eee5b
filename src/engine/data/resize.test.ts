import { describe, expect, it } from 'vitest';
import { downsampleByAveraging } from './resize';

describe('downsampleByAveraging', () => {
  it('averages 2×2 blocks per channel, rounding half up (by hand)', () => {
    // One 2×4 image, 2 channels: channel 0 counts up, channel 1 is constant 9 except one 10.
    const c0 = [0, 1, 2, 3, 4, 5, 6, 7];
    const c1 = [9, 9, 9, 10, 9, 9, 9, 9];
    const image = Uint8Array.from(c0.flatMap((v, i) => [v, c1[i]!]));
    const out = downsampleByAveraging(image, 1, 2, 4, 2, 2);
    // Blocks: {0,1,4,5} mean 2.5 → 3 and {2,3,6,7} mean 4.5 → 5; channel 1: 9 and 9.25 → 9.
    expect(Array.from(out)).toEqual([3, 9, 5, 9]);
  });

  it('handles several images, and factor 1 copies', () => {
    const images = Uint8Array.from({ length: 2 * 4 * 4 }, (_, i) => (i < 16 ? 10 : 200));
    expect(Array.from(downsampleByAveraging(images, 2, 4, 4, 1, 4))).toEqual([10, 200]);
    const copy = downsampleByAveraging(images, 2, 4, 4, 1, 1);
    expect(copy).toEqual(images);
    expect(copy).not.toBe(images);
  });

  it('refuses a factor that does not divide the size', () => {
    expect(() => downsampleByAveraging(new Uint8Array(9), 1, 3, 3, 1, 2)).toThrow(RangeError);
  });
});
