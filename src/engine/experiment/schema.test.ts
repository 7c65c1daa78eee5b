import { describe, expect, it } from 'vitest';
import type { Field } from './fields';
import { defaultExperiment, FIELD_KEYS, FIELDS } from './schema';
import { crossFieldIssues, validateExperiment, validateField } from './validation';

describe('experiment schema', () => {
  it('accepts its own defaults', () => {
    expect(validateExperiment(defaultExperiment)).toEqual({ ok: true, experiment: defaultExperiment });
    expect(crossFieldIssues(defaultExperiment)).toEqual([]);
  });

  it('has the defaults the skeleton promises', () => {
    expect(defaultExperiment.sparsity).toBe(0.9);
    expect(defaultExperiment.mask).toBe('erk');
    expect(defaultExperiment.denseLayers).toBe('ends');
    expect(defaultExperiment.arch).toBe('mlp');
    expect(defaultExperiment.ls).toBe(true);
    expect(defaultExperiment.lsAlpha).toBe(0.1);
    expect(defaultExperiment.gsnActivation).toBe('swish');
    expect(defaultExperiment.momentum).toBe(0.9);
  });

  it.each(FIELD_KEYS)('enforces the bounds of %s', (key) => {
    const field = FIELDS[key] as Field;
    switch (field.kind) {
      case 'number': {
        expect(validateField(key, field.min).ok).toBe(true);
        expect(validateField(key, field.max).ok).toBe(true);
        expect(validateField(key, field.min - 1).ok).toBe(false);
        expect(validateField(key, field.max + 1).ok).toBe(false);
        expect(validateField(key, Number.NaN).ok).toBe(false);
        expect(validateField(key, String(field.default)).ok).toBe(false);
        if (field.integer) expect(validateField(key, field.min + 0.5).ok).toBe(false);
        break;
      }
      case 'enum':
        for (const option of field.options) expect(validateField(key, option.value).ok).toBe(true);
        expect(validateField(key, 'no-such-option').ok).toBe(false);
        expect(validateField(key, 3).ok).toBe(false);
        break;
      case 'bool':
        expect(validateField(key, true).ok).toBe(true);
        expect(validateField(key, 'true').ok).toBe(false);
        break;
      case 'intList':
        expect(validateField(key, Array(field.minLength).fill(field.min)).ok).toBe(true);
        expect(validateField(key, Array(field.maxLength).fill(field.max)).ok).toBe(true);
        expect(validateField(key, Array(field.maxLength + 1).fill(field.min)).ok).toBe(false);
        expect(validateField(key, Array(Math.max(0, field.minLength - 1)).fill(field.min)).ok).toBe(false);
        expect(validateField(key, [field.max + 1]).ok).toBe(false);
        expect(validateField(key, [field.min + 0.5]).ok).toBe(false);
        break;
    }
  });

  it('rejects unknown fields and names the field of a bad value', () => {
    const extra = validateExperiment({ ...defaultExperiment, colour: 'red' });
    expect(extra.ok).toBe(false);
    const bad = validateExperiment({ ...defaultExperiment, sparsity: 1.5 });
    expect(bad).toMatchObject({ ok: false, issues: [{ field: 'sparsity' }] });
  });

  it('checks combinations of fields', () => {
    const blendBackwards = validateExperiment({ ...defaultExperiment, gsnStart: 10, gsnEnd: 5 });
    expect(blendBackwards).toMatchObject({ ok: false, issues: [{ field: 'gsnEnd' }] });
    // The switch schedule ignores the start epoch, so the same values are fine there.
    expect(validateExperiment({ ...defaultExperiment, gsnSchedule: 'switch', gsnStart: 10, gsnEnd: 5 }).ok).toBe(true);
    const bigBatch = validateExperiment({ ...defaultExperiment, samples: 100, batchSize: 1000 });
    expect(bigBatch).toMatchObject({ ok: false, issues: [{ field: 'batchSize' }] });
  });
});
