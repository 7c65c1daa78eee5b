import { describe, expect, it } from 'vitest';
import { maskWarnings, pictureMask, PICTURE_SIZE } from './mask-picture';

describe('mask pictures', () => {
  it('views a linear weight [out, in] as units × inputs and counts units without inputs', () => {
    // 3 outputs × 4 inputs; unit 1 lost every input.
    const mask = Uint8Array.from([1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0]);
    const picture = pictureMask('fc.weight', [3, 4], mask);
    expect(picture).toMatchObject({ units: 3, fanIn: 4, kept: 5, unitsWithoutInputs: 1 });
    expect(picture.grid).toEqual({ rows: 3, cols: 4, kept: [...mask] });
  });

  it('views a conv weight [kh, kw, in, out] by output filter', () => {
    // 1×2 kernel, 1 input channel, 2 filters: entries (kw, out) = [(0,0), (0,1), (1,0), (1,1)].
    const mask = Uint8Array.from([1, 0, 1, 0]);
    const picture = pictureMask('conv.weight', [1, 2, 1, 2], mask);
    expect(picture).toMatchObject({ units: 2, fanIn: 2, kept: 2, unitsWithoutInputs: 1 });
    expect(picture.grid.kept).toEqual([1, 1, 0, 0]);
  });

  it('averages big layers into at most PICTURE_SIZE² cells', () => {
    const mask = Uint8Array.from({ length: 300 * 784 }, (_, i) => (i % 784 < 392 ? 1 : 0));
    const picture = pictureMask('fc1.weight', [300, 784], mask);
    expect(picture.grid.rows).toBe(PICTURE_SIZE);
    expect(picture.grid.cols).toBe(PICTURE_SIZE);
    // Left half kept, right half pruned.
    expect(picture.grid.kept[0]).toBe(1);
    expect(picture.grid.kept[PICTURE_SIZE - 1]).toBe(0);
    expect(picture.kept).toBe(300 * 392);
  });

  it('warns about empty and nearly empty layers and units without inputs', () => {
    const empty = pictureMask('a', [2, 2], new Uint8Array(4));
    const sparse = pictureMask('b', [100, 100], Uint8Array.from({ length: 10000 }, (_, i) => (i < 3 ? 1 : 0)));
    const fine = pictureMask('c', [2, 2], Uint8Array.from([1, 1, 1, 1]));
    const warnings = maskWarnings([empty, sparse, fine]);
    expect(warnings).toEqual([
      'a keeps no weights: nothing flows through it (layer collapse).',
      'b keeps only 3 of 10,000 weights.',
      '99 of 100 units of b have no input weights left.',
    ]);
  });
});
