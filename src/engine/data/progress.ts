/** Reports how far a long step is, as a fraction in [0, 1] and a line for the user. */
export type ProgressCallback = (fraction: number, message: string) => void;

/**
 * Maps a sub-step's own 0..1 progress into [from, to] of the caller's, so that a
 * loader made of several steps reports one monotone bar.
 */
export function subProgress(
  onProgress: ProgressCallback | undefined,
  from: number,
  to: number,
): ProgressCallback | undefined {
  if (!onProgress) return undefined;
  return (fraction, message) => {
    const f = Math.min(1, Math.max(0, fraction));
    // Weighted this way the ends are exact (0.3 + 0.6 · 1 would overshoot 0.9 in floating point, and the bar step back).
    onProgress(from * (1 - f) + to * f, message);
  };
}
