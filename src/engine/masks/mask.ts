import type { Network, ParamSpec } from '../models/network';

/**
 * 0/1 arrays for the masked tensors, by parameter name; tensors without an entry
 * are dense. Keyed by name so one mask serves networks that differ only by
 * extra dense parameters (the ToST run's ghost branches).
 */
export type MaskSet = ReadonlyMap<string, Uint8Array>;

export interface MaskPolicy {
  /** Fraction of each masked tensor's entries to prune. */
  readonly sparsity: number;
  /** Layers left dense: first and classifier, the classifier only (as in the reference code), or none. */
  readonly denseLayers: 'ends' | 'classifier' | 'none';
}

export function isMasked(param: ParamSpec, policy: MaskPolicy): boolean {
  if (!param.prunable) return false;
  switch (policy.denseLayers) {
    case 'ends':
      return param.position === 'hidden';
    case 'classifier':
      return param.position !== 'last';
    case 'none':
      return true;
  }
}

/** Entries kept when pruning `sparsity` of `size` entries: count-based, so densities are exact. */
export function keptCount(size: number, sparsity: number): number {
  return Math.round(size * (1 - sparsity));
}

export interface MaskStats {
  readonly totalParams: number;
  /** Parameters that are not pruned (dense tensors count in full). */
  readonly keptParams: number;
  readonly maskedParams: number;
  readonly maskedKept: number;
  readonly layers: readonly { name: string; size: number; kept: number }[];
}

export function maskStats(network: Network, masks: MaskSet): MaskStats {
  let totalParams = 0;
  let keptParams = 0;
  let maskedParams = 0;
  let maskedKept = 0;
  const layers: { name: string; size: number; kept: number }[] = [];
  network.params.forEach((param) => {
    const size = param.shape.reduce((a, b) => a * b, 1);
    const mask = masks.get(param.name);
    const kept = mask ? mask.reduce((sum, bit) => sum + bit, 0) : size;
    totalParams += size;
    keptParams += kept;
    if (mask) {
      maskedParams += size;
      maskedKept += kept;
    }
    if (param.role === 'weight') layers.push({ name: param.name, size, kept });
  });
  return { totalParams, keptParams, maskedParams, maskedKept, layers };
}
