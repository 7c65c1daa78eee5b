import { describe, expect, it } from 'vitest';
import { appendDecimated } from './decimate';

const points = (n: number, start = 0) => Array.from({ length: n }, (_, i) => ({ x: start + i + 1, y: start + i + 1 }));

describe('appendDecimated', () => {
  it('keeps everything under the limit', () => {
    expect(appendDecimated(points(3), points(2, 3), 10)).toEqual(points(5));
  });

  it('halves by averaging pairs when over the limit, keeping the last x', () => {
    expect(appendDecimated(points(4), points(1, 4), 4)).toEqual([
      { x: 2, y: 1.5 },
      { x: 4, y: 3.5 },
      { x: 5, y: 5 },
    ]);
  });

  it('stays bounded and preserves the mean over a long run', () => {
    let series: { x: number; y: number }[] = [];
    for (let i = 0; i < 100; i++) series = appendDecimated(series, points(50, i * 50), 200);
    expect(series.length).toBeLessThanOrEqual(200);
    expect(series.at(-1)!.x).toBe(5000);
    expect(series.every((p, i) => i === 0 || p.x > series[i - 1]!.x)).toBe(true);
  });
});
