import { describe, expect, it } from 'vitest';
import { defaultExperiment, FIELD_KEYS } from '../engine/experiment/schema';
import { parseArgs, usage } from './args';

describe('command-line flags (from the experiment schema)', () => {
  it('reads fields, lists, booleans and the CLI options', () => {
    const { decoded, options, unknown } = parseArgs(['--dataset', 'mnist', '--hidden=300-100', '--no-ls', '--gsc', '0', '--sparsity', '0.95', '--seeds', '1,2,3', '--backend', 'cpu']);
    expect(decoded.issues).toEqual([]);
    expect(decoded.experiment).toEqual({ ...defaultExperiment, dataset: 'mnist', hidden: [300, 100], ls: false, gsc: false, sparsity: 0.95 });
    expect(options).toEqual({ seeds: [1, 2, 3], backend: 'cpu', out: null, threads: null, help: false });
    expect(unknown).toEqual([]);
  });

  it('takes a bare boolean flag as on', () => {
    expect(parseArgs(['--ls', '0', '--gsn', '--epochs', '3']).decoded.experiment).toMatchObject({ ls: false, gsn: true, epochs: 3 });
  });

  it('names bad values by field and reports unknown flags', () => {
    const { decoded, unknown } = parseArgs(['--sparsity', '2', '--colour', 'red', 'stray']);
    expect(decoded.issues.map((i) => i.field)).toEqual(['sparsity']);
    expect(unknown).toEqual(['--colour red', 'stray']);
  });

  it('takes a thread count for the WASM product and refuses one that is not a whole number from 1', () => {
    expect(parseArgs(['--threads', '3']).options.threads).toBe(3);
    expect(parseArgs(['--threads=1']).options.threads).toBe(1);
    for (const bad of ['0', '-2', '1.5', 'many']) {
      const { options, unknown } = parseArgs(['--threads', bad]);
      expect(options.threads).toBeNull();
      expect(unknown).toEqual([`--threads ${bad} (a whole number from 1)`]);
    }
  });

  it('documents every field', () => {
    const text = usage();
    for (const key of FIELD_KEYS) expect(text).toContain(`--${key}`);
  });
});
