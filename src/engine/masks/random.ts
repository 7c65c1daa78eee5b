import type { Rng } from '../train/rng';
import { keptCount } from './mask';

/**
 * Uniform random pruning with the exact per-layer density: a random subset of
 * exactly round(size·(1 − sparsity)) entries is kept in every masked tensor.
 */
export function randomLayerMask(size: number, sparsity: number, rng: Rng): Uint8Array {
  const mask = new Uint8Array(size);
  const keep = keptCount(size, sparsity);
  const order = rng.permutation(size);
  for (let i = 0; i < keep; i++) mask[order[i]!] = 1;
  return mask;
}
