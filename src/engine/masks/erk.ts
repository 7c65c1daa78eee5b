import type { ParamSpec } from '../models/network';
import type { Rng } from '../train/rng';
import { randomLayerMask } from './random';

/**
 * Erdős–Rényi-Kernel densities (RigL, Evci et al. 2020): layer l keeps a share
 * ∝ ε·(Σ of its dimensions)/(Π of its dimensions) — (n_in + n_out + k_h + k_w)
 * / (n_in·n_out·k_h·k_w) for a conv, (n_in + n_out)/(n_in·n_out) for a linear
 * layer — so small layers stay denser. ε is solved so that the masked tensors
 * keep (1 − sparsity) of their weights in total; a layer whose density would
 * exceed 1 is made dense and ε solved again for the others.
 */
export function erkDensities(params: readonly ParamSpec[], sparsity: number): number[] {
  const sizes = params.map((p) => p.shape.reduce((a, b) => a * b, 1));
  const raw = params.map((p, i) => p.shape.reduce((a, b) => a + b, 0) / sizes[i]!);
  const target = (1 - sparsity) * sizes.reduce((a, b) => a + b, 0);
  const dense = new Set<number>();
  for (;;) {
    const denseKept = [...dense].reduce((sum, i) => sum + sizes[i]!, 0);
    const free = params.map((_, i) => i).filter((i) => !dense.has(i));
    const weighted = free.reduce((sum, i) => sum + raw[i]! * sizes[i]!, 0);
    const epsilon = weighted > 0 ? (target - denseKept) / weighted : 0;
    const over = free.filter((i) => epsilon * raw[i]! > 1);
    if (over.length === 0) return params.map((_, i) => (dense.has(i) ? 1 : Math.max(0, epsilon * raw[i]!)));
    // Densest first, one at a time: making one layer dense lowers ε for the rest.
    dense.add(over.reduce((a, b) => (raw[a]! >= raw[b]! ? a : b)));
  }
}

/** Random masks at the ERK densities, with exact counts per layer (round(density·size)). */
export function erkMasks(params: readonly ParamSpec[], sparsity: number, rng: Rng): Uint8Array[] {
  return erkDensities(params, sparsity).map((density, i) => randomLayerMask(params[i]!.shape.reduce((a, b) => a * b, 1), 1 - density, rng));
}
