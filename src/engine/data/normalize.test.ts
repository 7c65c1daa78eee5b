import { describe, expect, it } from 'vitest';
import { NORMALIZATION, normalizeBatch } from './normalize';

describe('normalizeBatch', () => {
  it('computes (x/255 − mean)/std per channel (by hand)', () => {
    // Two RGB pixels.
    const pixels = Uint8Array.from([255, 0, 51, 0, 255, 128]);
    const out = normalizeBatch(pixels, 1, 1, 2, 3, [0.5, 0.5, 0.4914], [0.25, 0.5, 0.2023]);
    expect(out).toBeInstanceOf(Float32Array);
    const expected = [
      (1 - 0.5) / 0.25,
      (0 - 0.5) / 0.5,
      (0.2 - 0.4914) / 0.2023,
      (0 - 0.5) / 0.25,
      (1 - 0.5) / 0.5,
      (128 / 255 - 0.4914) / 0.2023,
    ];
    expected.forEach((value, i) => expect(out[i]).toBeCloseTo(value, 5));
    expect(out[0]).toBeCloseTo(2, 6);
  });

  it('has the published constants', () => {
    expect(NORMALIZATION.cifar10).toEqual({ mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.201] });
    expect(NORMALIZATION.cifar100).toEqual(NORMALIZATION.cifar10);
    expect(NORMALIZATION.mnist).toEqual({ mean: [0.1307], std: [0.3081] });
    expect(NORMALIZATION['fashion-mnist']).toEqual({ mean: [0.286], std: [0.353] });
    expect(NORMALIZATION['tiny-imagenet']).toEqual({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
  });

  it('gives a gray MNIST pixel its expected value and refuses mismatched constants', () => {
    const { mean, std } = NORMALIZATION.mnist;
    expect(normalizeBatch(Uint8Array.of(0), 1, 1, 1, 1, mean, std)[0]).toBeCloseTo(-0.1307 / 0.3081, 5);
    expect(() => normalizeBatch(new Uint8Array(3), 1, 1, 1, 3, mean, std)).toThrow(RangeError);
    expect(() => normalizeBatch(new Uint8Array(1), 1, 1, 1, 1, [0], [0])).toThrow(RangeError);
  });
});
