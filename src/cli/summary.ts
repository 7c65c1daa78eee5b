import type { RecipeId } from '../engine/tost/recipe';

export interface SeedResult {
  readonly seed: number;
  /** Test accuracy at the best validation epoch (final test accuracy when there is no validation split). */
  readonly accuracy: Record<RecipeId, number | null>;
}

export interface Spread {
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

/** Mean and sample standard deviation (n − 1); std 0 for a single value. */
export function spread(values: readonly number[]): Spread {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}

const pct = (s: Spread) => `${(s.mean * 100).toFixed(2)} ± ${(s.std * 100).toFixed(2)}%`;

/** Per recipe mean ± std over seeds, and the paired ToST − Default difference (seeds where both finished). */
export function summarize(results: readonly SeedResult[]): string {
  const lines: string[] = [];
  for (const recipe of ['default', 'tost'] as const) {
    const values = results.map((r) => r.accuracy[recipe]).filter((v): v is number => v !== null);
    lines.push(`${recipe.padEnd(8)} ${values.length > 0 ? pct(spread(values)) : 'no finished run'}  (n = ${values.length})`);
  }
  const differences = results.flatMap((r) => (r.accuracy.default !== null && r.accuracy.tost !== null ? [r.accuracy.tost - r.accuracy.default] : []));
  if (differences.length > 0) {
    const d = spread(differences);
    lines.push(`ToST − Default: ${d.mean >= 0 ? '+' : ''}${(d.mean * 100).toFixed(2)} ± ${(d.std * 100).toFixed(2)} points (paired over ${d.n} seeds)`);
  }
  return lines.join('\n');
}
