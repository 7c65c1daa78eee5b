/**
 * Turning scores into a mask with an exact number of kept weights.
 *
 * Conventions (documented in the README): the highest scores are kept; the
 * count is round(density · size) over the scope (the whole masked set for
 * `global`, each tensor for `layer`), never "score > τ", so densities are exact
 * whatever the ties; ties at the threshold are broken by position (tensor
 * order, then flat index: the earlier one is kept), so a mask is a pure
 * function of its scores. NaN scores and -Infinity (entries excluded from the
 * contest, e.g. weights an earlier round pruned) are never kept while a
 * finite score is left.
 */
export type MaskScope = 'global' | 'layer';

/** Entries kept when keeping `density` of `size`. */
export function keepCountForDensity(size: number, density: number): number {
  return Math.min(size, Math.max(0, Math.round(size * density)));
}

function comparable(score: number): number {
  return Number.isNaN(score) ? -Infinity : score;
}

/** The k-th largest value of the scores (k ≥ 1), NaN counted as -Infinity. */
function kthLargest(scores: readonly Float32Array[], k: number): number {
  const total = scores.reduce((sum, s) => sum + s.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const s of scores) {
    all.set(s, offset);
    offset += s.length;
  }
  for (let i = 0; i < total; i++) if (Number.isNaN(all[i]!)) all[i] = -Infinity;
  // A typed-array sort is numeric and fast; for millions of weights it beats a selection in JS.
  all.sort();
  return all[total - k]!;
}

/** Keeps exactly `keep` entries of the scores taken together: the largest, ties by position. */
export function keepTop(scores: readonly Float32Array[], keep: number): Uint8Array[] {
  const masks = scores.map((s) => new Uint8Array(s.length));
  const total = scores.reduce((sum, s) => sum + s.length, 0);
  if (keep <= 0) return masks;
  if (keep >= total) return masks.map((m) => m.fill(1));
  const threshold = kthLargest(scores, keep);
  let above = 0;
  for (const s of scores) for (let i = 0; i < s.length; i++) if (comparable(s[i]!) > threshold) above += 1;
  let tiesLeft = keep - above;
  scores.forEach((s, layer) => {
    const mask = masks[layer]!;
    for (let i = 0; i < s.length; i++) {
      const score = comparable(s[i]!);
      if (score > threshold) mask[i] = 1;
      else if (score === threshold && tiesLeft > 0) {
        mask[i] = 1;
        tiesLeft -= 1;
      }
    }
  });
  return masks;
}

/** Masks keeping `density` of the scored entries, over all tensors (`global`) or in each (`layer`). */
export function selectByScore(scores: readonly Float32Array[], density: number, scope: MaskScope): Uint8Array[] {
  if (scope === 'layer') return scores.map((s) => keepTop([s], keepCountForDensity(s.length, density))[0]!);
  const total = scores.reduce((sum, s) => sum + s.length, 0);
  return keepTop(scores, keepCountForDensity(total, density));
}
