import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../experiment/schema';
import { paramSize, type ParamSpec } from '../models/network';
import { buildNetwork } from '../models/registry';
import { Rng } from '../train/rng';
import { erkDensities, erkMasks } from './erk';
import { isMasked } from './mask';
import { computeMask } from './registry';
import { maskInputs, shapeOnlyDataset } from './mask-inputs.test-support';

const weight = (name: string, shape: number[]): ParamSpec => ({ name, shape, role: 'weight', prunable: true, position: 'hidden', init: () => new Float32Array(0) });

describe('ERK masks', () => {
  it('gives densities ∝ Σdims/Πdims that keep the target share in total', () => {
    // Two linear layers: 100×100 (raw 200/10⁴ = 0.02) and 10×100 (raw 110/10³ = 0.11).
    const params = [weight('a', [100, 100]), weight('b', [10, 100])];
    const densities = erkDensities(params, 0.9);
    // ε·(0.02·10⁴ + 0.11·10³) = 0.1·11000 → ε = 1100/310.
    const epsilon = 1100 / 310;
    expect(densities[0]).toBeCloseTo(epsilon * 0.02, 10);
    expect(densities[1]).toBeCloseTo(epsilon * 0.11, 10);
    expect(densities[0]! * 10000 + densities[1]! * 1000).toBeCloseTo(1100, 6);
  });

  it('makes a layer dense when its density would exceed 1 and re-solves for the rest', () => {
    // A tiny 2×3 layer (raw 5/6) would get ε·0.83 > 1 at 50% sparsity.
    const params = [weight('big', [200, 200]), weight('tiny', [2, 3])];
    const densities = erkDensities(params, 0.5);
    expect(densities[1]).toBe(1);
    expect(densities[0]! * 40000 + 6).toBeCloseTo(0.5 * 40006, 6);
    expect(densities.every((d) => d <= 1)).toBe(true);
  });

  it('sums to the target on a real network and keeps exact counts per layer', async () => {
    const network = buildNetwork({ inputShape: [32, 32, 3], numClasses: 10 }, { arch: 'resnet20', width: 1, hidden: [] });
    const experiment = { ...defaultExperiment, mask: 'erk' as const, sparsity: 0.95, denseLayers: 'none' as const };
    const masked = network.params.filter((p) => isMasked(p, experiment));
    const densities = erkDensities(masked, 0.95);
    const total = masked.reduce((sum, p) => sum + paramSize(p), 0);
    expect(densities.reduce((sum, d, i) => sum + d * paramSize(masked[i]!), 0) / total).toBeCloseTo(0.05, 6);
    // Small layers (the 3-channel stem, the classifier) are denser than the big 3×3 convs.
    const density = (name: string) => densities[masked.findIndex((p) => p.name === name)]!;
    expect(density('conv1.weight')).toBeGreaterThan(density('layer3.0.conv2.weight'));
    const { masks } = await computeMask(maskInputs(network, experiment, shapeOnlyDataset([32, 32, 3], 10)));
    const kept = masked.reduce((sum, p) => sum + masks.get(p.name)!.reduce((a, b) => a + b, 0), 0);
    expect(Math.abs(kept / total - 0.05)).toBeLessThan(1e-3);
    masked.forEach((p, i) => expect(masks.get(p.name)!.reduce((a, b) => a + b, 0)).toBe(Math.round(densities[i]! * paramSize(p))));
  });

  it('is reproducible by seed', () => {
    const params = [weight('a', [30, 40]), weight('b', [10, 30])];
    expect(erkMasks(params, 0.8, new Rng(3))).toEqual(erkMasks(params, 0.8, new Rng(3)));
    expect(erkMasks(params, 0.8, new Rng(3))).not.toEqual(erkMasks(params, 0.8, new Rng(4)));
  });
});
