import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATASETS } from '../data/catalog';
import type { Field } from './fields';
import { defaultExperiment, FIELD_KEYS, FIELDS, type Experiment, type FieldKey } from './schema';
import { crossFieldIssues, validateExperiment } from './validation';
import { decodeExperiment, encodeExperiment } from './url-codec';

/** A valid value for a field that differs from its default. */
function otherValue(field: Field): unknown {
  switch (field.kind) {
    case 'number': {
      const candidate = field.integer ? field.default + 1 : field.default + field.step;
      return candidate <= field.max ? candidate : field.min;
    }
    case 'enum':
      // Undefined for a single-option enum: there is nothing else to choose yet.
      return field.options.find((option) => option.value !== field.default)?.value;
    case 'bool':
      return !field.default;
    case 'intList':
      return [...field.default.slice(0, field.maxLength - 1), field.min];
  }
}

function arbitraryValue(field: Field): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'number':
      return field.integer
        ? fc.integer({ min: field.min, max: field.max })
        : fc.double({ min: field.min, max: field.max, noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v));
    case 'enum':
      return fc.constantFrom(...field.options.map((option) => option.value));
    case 'bool':
      return fc.boolean();
    case 'intList':
      return fc.array(fc.integer({ min: field.min, max: field.max }), { minLength: field.minLength, maxLength: field.maxLength });
  }
}

const arbitraryExperiment: fc.Arbitrary<Experiment> = fc
  .record(Object.fromEntries(FIELD_KEYS.map((key) => [key, arbitraryValue(FIELDS[key] as Field)])) as Record<FieldKey, fc.Arbitrary<unknown>>)
  .map((record) => record as unknown as Experiment)
  .filter((experiment) => crossFieldIssues(experiment).length === 0);

describe('share-link codec', () => {
  it('encodes the defaults as just the version', () => {
    expect(encodeExperiment(defaultExperiment)).toBe('v=1');
    expect(decodeExperiment('#v=1')).toEqual({ experiment: defaultExperiment, issues: [], unknownKeys: [], versionProblem: null });
    expect(decodeExperiment('').experiment).toEqual(defaultExperiment);
  });

  it.each(FIELD_KEYS.filter((key) => otherValue(FIELDS[key] as Field) !== undefined))('round-trips a non-default %s, readably', (key) => {
    const value = otherValue(FIELDS[key] as Field);
    const candidate = { ...defaultExperiment, [key]: value } as Experiment;
    // Some single changes break a cross-field rule (a blend end before its start, a CNN on 2-D points); try valid companions.
    const imageDataset = DATASETS.find((d) => d.kind !== 'synthetic-2d')?.id;
    const companions: Partial<Experiment>[] = [{}, { gsnSchedule: 'switch' }, ...(imageDataset ? [{ dataset: imageDataset } as Partial<Experiment>] : [])];
    const experiment = companions.map((c) => ({ ...candidate, ...c }) as Experiment).find((e) => crossFieldIssues(e).length === 0);
    if (!experiment) {
      // No valid experiment has this value yet: the link must still name the field.
      expect(decodeExperiment(encodeExperiment(candidate)).issues.map((issue) => issue.field)).toContain(key);
      return;
    }
    expect(validateExperiment(experiment).ok).toBe(true);
    const hash = encodeExperiment(experiment);
    expect(hash).toMatch(new RegExp(`(^|&)${key}=`));
    const decoded = decodeExperiment(`#${hash}`);
    expect(decoded.issues).toEqual([]);
    expect(decoded.experiment).toEqual(experiment);
  });

  it('writes lists and booleans readably', () => {
    const hash = encodeExperiment({ ...defaultExperiment, hidden: [64, 32], gsn: false, dataset: 'moons' });
    expect(hash).toBe('v=1&dataset=moons&hidden=64-32&gsn=0');
  });

  it('round-trips any valid experiment', () => {
    fc.assert(
      fc.property(arbitraryExperiment, (experiment) => {
        const decoded = decodeExperiment(encodeExperiment(experiment));
        expect(decoded.issues).toEqual([]);
        expect(decoded.unknownKeys).toEqual([]);
        expect(decoded.experiment).toEqual(experiment);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on garbage and always returns a valid experiment', () => {
    const knownKey = fc.constantFrom<string>(...FIELD_KEYS, 'v');
    const pair = fc.tuple(fc.oneof(knownKey, fc.string()), fc.oneof(fc.string(), fc.constantFrom('%', '%E0%A4%A', 'NaN', '1e999', '-', '0x10', '')));
    const structured = fc.array(pair, { maxLength: 12 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), structured), (hash) => {
        const decoded = decodeExperiment(hash);
        expect(validateExperiment(decoded.experiment).ok).toBe(true);
        for (const issue of decoded.issues) expect(FIELD_KEYS).toContain(issue.field);
      }),
      { numRuns: 1000 },
    );
  });

  it('names the field of an invalid value and still applies the valid ones', () => {
    const decoded = decodeExperiment('#v=1&dataset=moons&sparsity=1.7&epochs=abc&gsn=maybe&hidden=8-x');
    expect(decoded.experiment.dataset).toBe('moons');
    expect(decoded.experiment.sparsity).toBe(defaultExperiment.sparsity);
    expect(decoded.issues.map((issue) => issue.field).sort()).toEqual(['epochs', 'gsn', 'hidden', 'sparsity']);
    expect(decoded.issues.find((issue) => issue.field === 'sparsity')!.message).toContain('1.7');
  });

  it('ignores unknown keys and reports them', () => {
    const decoded = decodeExperiment('#v=1&colour=red&epochs=12');
    expect(decoded.unknownKeys).toEqual(['colour']);
    expect(decoded.issues).toEqual([]);
    expect(decoded.experiment.epochs).toBe(12);
  });

  it('rejects hex, empty and non-finite numbers', () => {
    for (const text of ['0x10', '', 'Infinity', '1e999', '1,5']) {
      expect(decodeExperiment(`#epochs=${text}`).issues.map((issue) => issue.field)).toEqual(['epochs']);
    }
  });

  it('falls back to defaults for an invalid combination and says so', () => {
    const decoded = decodeExperiment('#v=1&gsnStart=30&gsnEnd=10&dataset=xor');
    expect(decoded.issues).toMatchObject([{ field: 'gsnEnd' }]);
    expect(decoded.experiment.dataset).toBe('xor');
    expect(validateExperiment(decoded.experiment).ok).toBe(true);
  });

  it('warns about a link from another format version', () => {
    expect(decodeExperiment('#v=2&epochs=12').versionProblem).toMatch(/version "2"/);
  });
});
