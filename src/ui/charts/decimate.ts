/**
 * Live series grow by thousands of points; charts stay fast with a bounded
 * number. When a series reaches `max` points, neighbouring pairs are merged
 * (x of the later point, mean of the values), halving it while keeping its
 * shape, so memory and render cost stay O(max) however long the run.
 */
export interface SeriesPoint {
  readonly x: number;
  readonly y: number;
}

export function appendDecimated<P extends SeriesPoint>(series: readonly P[], added: readonly P[], max: number): P[] {
  let result = [...series, ...added];
  while (result.length > max) {
    const merged: P[] = [];
    for (let i = 0; i + 1 < result.length; i += 2) {
      const a = result[i]!;
      const b = result[i + 1]!;
      merged.push({ ...b, y: (a.y + b.y) / 2 });
    }
    if (result.length % 2 === 1) merged.push(result[result.length - 1]!);
    result = merged;
  }
  return result;
}
