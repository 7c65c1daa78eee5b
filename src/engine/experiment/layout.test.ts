import { describe, expect, it } from 'vitest';
import { FIELD_GROUPS, isRelevant } from './layout';
import { defaultExperiment, FIELD_KEYS, FIELDS } from './schema';

describe('control layout', () => {
  it('puts every field in a listed group', () => {
    const groups = FIELD_GROUPS.map((g) => g.id as string);
    for (const key of FIELD_KEYS) expect(groups).toContain(FIELDS[key].group);
  });

  it('shows fields only where they matter', () => {
    expect(isRelevant('samples', defaultExperiment)).toBe(true);
    expect(isRelevant('samples', { ...defaultExperiment, dataset: 'mnist' })).toBe(false);
    expect(isRelevant('trainLimit', { ...defaultExperiment, dataset: 'mnist' })).toBe(true);
    expect(isRelevant('gsnStart', { ...defaultExperiment, gsnSchedule: 'switch' })).toBe(false);
    expect(isRelevant('gscEnd', { ...defaultExperiment, gscSchedule: 'reference' })).toBe(false);
    expect(isRelevant('width', defaultExperiment)).toBe(false);
    expect(isRelevant('hidden', { ...defaultExperiment, arch: 'lenet5' })).toBe(false);
    expect(isRelevant('seed', { ...defaultExperiment, gsn: false })).toBe(true);
    expect(isRelevant('lrsiIters', defaultExperiment)).toBe(true);
    expect(isRelevant('lrsiGamma', { ...defaultExperiment, lrsi: false })).toBe(false);
    expect(isRelevant('lrsiGradient', { ...defaultExperiment, lrsi: false })).toBe(false);
  });
});
