import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../experiment/schema';
import { summarizeModel } from './summary';

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
    const random = summarizeModel({ ...defaultExperiment, denseLayers: 'none' as const, sparsity: 0.9 });
    const erk = summarizeModel({ ...defaultExperiment, denseLayers: 'none' as const, sparsity: 0.9, mask: 'erk' });
    expect(erk.totalParams).toBe(random.totalParams);
    // Same target share of the masked weights, up to one weight of rounding per tensor.
    expect(Math.abs(erk.keptParams - random.keptParams)).toBeLessThanOrEqual(4);
  });
});
