import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../experiment/schema';
import { summarizeModel } from './summary';
import { datasetShape } from '../data/catalog';
import { computeMask } from '../masks/registry';
import { maskInputs, shapeOnlyDataset } from '../masks/mask-inputs.test-support';
import { paramSize } from './network';
import { buildNetwork } from './registry';

describe('model summary', () => {
  it('counts the default MLP and what a 90% mask on its hidden layers keeps', () => {
    // 2-64-64-64-3: fc1 2·64+64, fc2 and fc3 64·64+64 each, fc4 64·3+3; only fc2 and fc3 weights are masked.
    const total = 2 * 64 + 64 + 2 * (64 * 64 + 64) + 64 * 3 + 3;
    const kept = total - 2 * (64 * 64) + 2 * Math.round(64 * 64 * 0.1);
    expect(summarizeModel(defaultExperiment)).toEqual({ totalParams: total, keptParams: kept, maskedTensors: 2 });
  });

  it('masks every weight when the ends are not kept dense', () => {
    const summary = summarizeModel({ ...defaultExperiment, denseLayers: 'none' as const, sparsity: 0.5 });
    expect(summary.maskedTensors).toBe(4);
  });

  it('counts what an ERK mask keeps, layer by layer', () => {
    const random = summarizeModel({ ...defaultExperiment, denseLayers: 'none' as const, sparsity: 0.9, mask: 'random' });
    const erk = summarizeModel({ ...defaultExperiment, denseLayers: 'none' as const, sparsity: 0.9, mask: 'erk' });
    expect(erk.totalParams).toBe(random.totalParams);
    // Same target share of the masked weights, up to one weight of rounding per tensor.
    expect(Math.abs(erk.keptParams - random.keptParams)).toBeLessThanOrEqual(4);
  });

  it('counts exactly what a global scored mask keeps', async () => {
    const experiment = { ...defaultExperiment, denseLayers: 'none' as const, sparsity: 0.93, mask: 'magnitude' as const };
    const network = buildNetwork(datasetShape(experiment.dataset), experiment);
    const { masks } = await computeMask(maskInputs(network, experiment, shapeOnlyDataset([2], 3)));
    const dense = network.params.filter((p) => !masks.has(p.name)).reduce((sum, p) => sum + paramSize(p), 0);
    const kept = [...masks.values()].reduce((sum, m) => sum + m.reduce((a, b) => a + b, 0), 0);
    expect(summarizeModel(experiment).keptParams).toBe(dense + kept);
    // Per layer, the same method keeps exact per-tensor counts instead.
    const layer = { ...experiment, maskScope: 'layer' as const };
    const perLayer = await computeMask(maskInputs(network, layer, shapeOnlyDataset([2], 3)));
    const keptPerLayer = [...perLayer.masks.values()].reduce((sum, m) => sum + m.reduce((a, b) => a + b, 0), 0);
    expect(summarizeModel(layer).keptParams).toBe(dense + keptPerLayer);
  });
});
