import { describe, expect, it } from 'vitest';
import { spread, summarize } from './summary';

describe('study summary', () => {
  it('computes mean and sample standard deviation', () => {
    const s = spread([0.8, 0.9, 1.0]);
    expect(s.mean).toBeCloseTo(0.9, 12);
    expect(s.std).toBeCloseTo(0.1, 12);
    expect(spread([0.5]).std).toBe(0);
  });

  it('pairs the recipes by seed and leaves out unfinished runs', () => {
    const text = summarize([
      { seed: 1, accuracy: { default: 0.8, tost: 0.85 } },
      { seed: 2, accuracy: { default: 0.7, tost: 0.8 } },
      { seed: 3, accuracy: { default: null, tost: 0.9 } },
    ]);
    expect(text).toContain('default  75.00 ± 7.07%  (n = 2)');
    expect(text).toContain('tost     85.00 ± 5.00%  (n = 3)');
    expect(text).toContain('ToST − Default: +7.50 ± 3.54 points (paired over 2 seeds)');
  });
});
