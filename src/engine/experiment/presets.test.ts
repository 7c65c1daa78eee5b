import { describe, expect, it } from 'vitest';
import { matchingPreset, PROTOCOL_PRESETS } from './presets';
import { defaultExperiment, validateExperiment } from './schema';
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
