import { describe, expect, it } from 'vitest';
import { matchingPreset, PROTOCOL_PRESETS, RECIPE_PRESETS } from './presets';
import { defaultExperiment } from './schema';
import { validateExperiment } from './validation';
import { decodeExperiment, encodeExperiment } from './url-codec';

describe('protocol presets', () => {
  it.each(PROTOCOL_PRESETS.map((p) => [p.id, p] as const))('%s is a valid experiment, recognised and shareable', (_, preset) => {
    const experiment = { ...defaultExperiment, ...preset.values };
    expect(validateExperiment(experiment).ok).toBe(true);
    expect(matchingPreset(experiment)).toBe(preset);
    expect(decodeExperiment(encodeExperiment(experiment)).experiment).toEqual(experiment);
  });

  it('the reference preset is the spec protocol', () => {
    expect(PROTOCOL_PRESETS.find((p) => p.id === 'reference')!.values).toMatchObject({ epochs: 182, lr: 0.1, weightDecay: 0.0002, batchSize: 128, momentum: 0.9 });
  });

  it('recognises no preset for other settings', () => {
    expect(matchingPreset(defaultExperiment)).toBeNull();
  });
});

describe('recipe presets', () => {
  it.each(RECIPE_PRESETS.map((p) => [p.id, p] as const))('%s is valid, recognised, and survives a share link', (_, preset) => {
    const experiment = { ...defaultExperiment, ...preset.values };
    expect(validateExperiment(experiment).ok).toBe(true);
    expect(matchingPreset(experiment, RECIPE_PRESETS)).toBe(preset);
    expect(decodeExperiment(encodeExperiment(experiment)).experiment).toEqual(experiment);
  });

  it('the reference preset runs GradInit with the README settings', () => {
    expect(RECIPE_PRESETS.find((p) => p.id === 'tost-reference')!.values).toMatchObject({ lrsiIters: 180, lrsiLr: 0.01, lrsiEta: 0.1, lrsiGamma: 1, lrsiMinScale: 0.01 });
  });

  it('the default experiment trains the paper reading', () => {
    expect(matchingPreset(defaultExperiment, RECIPE_PRESETS)?.id).toBe('tost-paper');
  });

  it('ablations differ from the paper reading in exactly one technique, or keep exactly one', () => {
    const techniques = ['gsn', 'gsc', 'ls', 'lrsi'] as const;
    const on = (id: string) => techniques.filter((t) => ({ ...defaultExperiment, ...RECIPE_PRESETS.find((p) => p.id === id)!.values })[t]);
    expect(on('only-gsn')).toEqual(['gsn']);
    expect(on('only-gsc')).toEqual(['gsc']);
    expect(on('only-ls')).toEqual(['ls']);
    expect(on('only-lrsi')).toEqual(['lrsi']);
    expect(on('no-gsn')).toEqual(['gsc', 'ls', 'lrsi']);
    expect(on('no-gsc')).toEqual(['gsn', 'ls', 'lrsi']);
    expect(on('no-ls')).toEqual(['gsn', 'gsc', 'lrsi']);
    expect(on('no-lrsi')).toEqual(['gsn', 'gsc', 'ls']);
    expect(on('tost-paper')).toEqual(['gsn', 'gsc', 'ls', 'lrsi']);
    expect(on('tost-reference')).toEqual(['gsn', 'gsc', 'ls', 'lrsi']);
    expect(on('default')).toEqual([]);
  });
});
