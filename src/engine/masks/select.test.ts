import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepTop, selectByScore } from './select';

const count = (mask: Uint8Array) => mask.reduce((sum, bit) => sum + bit, 0);

describe('selectByScore', () => {
  it('keeps the largest scores over all tensors with global scope', () => {
    const scores = [Float32Array.from([0.1, 5, 0.3]), Float32Array.from([4, 0.2, 3, 0.05])];
    const masks = selectByScore(scores, 3 / 7, 'global');
    expect(masks.map((m) => [...m])).toEqual([
      [0, 1, 0],
      [1, 0, 1, 0],
    ]);
  });

  it('keeps the same share of every tensor with layer scope', () => {
    const scores = [Float32Array.from([0.1, 5, 0.3, 0.2]), Float32Array.from([40, 20, 30, 10])];
    const masks = selectByScore(scores, 0.5, 'layer');
    expect(masks.map((m) => [...m])).toEqual([
      [0, 1, 1, 0],
      [1, 0, 1, 0],
    ]);
  });

  it('breaks ties by position: earlier tensors, then earlier entries', () => {
    const scores = [Float32Array.from([1, 2, 1]), Float32Array.from([1, 1])];
    expect(keepTop(scores, 3).map((m) => [...m])).toEqual([
      [1, 1, 1],
      [0, 0],
    ]);
    expect(keepTop(scores, 4).map((m) => [...m])).toEqual([
      [1, 1, 1],
      [1, 0],
    ]);
  });

  it('never keeps NaN or -Infinity while a finite score is left', () => {
    const scores = [Float32Array.from([NaN, -Infinity, -3, 0])];
    expect([...keepTop(scores, 2)[0]!]).toEqual([0, 0, 1, 1]);
  });

  it('keeps round(density · size) entries exactly, whatever the ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('global' as const, 'layer' as const),
        (layers, density, scope) => {
          const scores = layers.map((values) => Float32Array.from(values));
          const masks = selectByScore(scores, density, scope);
          if (scope === 'layer') {
            masks.forEach((m, i) => expect(count(m)).toBe(Math.round(scores[i]!.length * density)));
          } else {
            const total = scores.reduce((sum, s) => sum + s.length, 0);
            expect(masks.reduce((sum, m) => sum + count(m), 0)).toBe(Math.round(total * density));
          }
          // Every kept score is at least every pruned score of the same scope.
          const groups = scope === 'layer' ? masks.map((m, i) => [[m, scores[i]!]] as const) : [masks.map((m, i) => [m, scores[i]!] as const)];
          for (const group of groups) {
            const kept = group.flatMap(([m, s]) => [...s].filter((_, j) => m[j]));
            const pruned = group.flatMap(([m, s]) => [...s].filter((_, j) => !m[j]));
            if (kept.length && pruned.length) expect(Math.min(...kept)).toBeGreaterThanOrEqual(Math.max(...pruned));
          }
        },
      ),
    );
  });
});
