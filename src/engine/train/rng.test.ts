import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng', () => {
  it('repeats a sequence for the same seed and stream', () => {
    const a = Rng.stream(7, 'init');
    const b = Rng.stream(7, 'init');
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
  });

  it('gives different streams for different names and seeds', () => {
    const first = (rng: Rng) => Array.from({ length: 5 }, () => rng.next());
    expect(first(Rng.stream(7, 'init'))).not.toEqual(first(Rng.stream(7, 'mask')));
    expect(first(Rng.stream(7, 'init'))).not.toEqual(first(Rng.stream(8, 'init')));
  });

  it('draws uniforms in [0, 1) with the right mean and normals with the right moments', () => {
    const rng = new Rng(3);
    const n = 20000;
    const uniforms = Array.from({ length: n }, () => rng.next());
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    expect(uniforms.reduce((a, b) => a + b) / n).toBeCloseTo(0.5, 1);
    const normals = Array.from({ length: n }, () => rng.normal());
    const mean = normals.reduce((a, b) => a + b) / n;
    const variance = normals.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(mean).toBeCloseTo(0, 1);
    expect(variance).toBeCloseTo(1, 1);
  });

  it('makes permutations', () => {
    const order = new Rng(1).permutation(100);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...order]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
