import { z } from 'zod';
import { DATASETS } from '../data/catalog';
import { architectureNeedsImages } from '../models/catalog';
import { FIELD_KEYS, FIELDS, type Experiment, type FieldKey } from './schema';

/**
 * Validation of experiments against the field table (schema.ts): each field's
 * own bounds, and the checks that read several fields. The UI, share links,
 * the worker and the command line all validate through here.
 */
const shape = Object.fromEntries(FIELD_KEYS.map((key) => [key, FIELDS[key].schema])) as {
  [K in FieldKey]: (typeof FIELDS)[K]['schema'];
};

export interface ExperimentIssue {
  field: FieldKey;
  message: string;
}

export interface CrossFieldIssue extends ExperimentIssue {
  /** Every field the check reads; resetting all of them to defaults resolves it. */
  involved: FieldKey[];
}

/** Checks that involve more than one field. Each issue names the field to change. */
export function crossFieldIssues(experiment: Experiment): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  if (experiment.gsnSchedule === 'blend' && experiment.gsnEnd <= experiment.gsnStart) {
    issues.push({ field: 'gsnEnd', message: 'must be later than the blend start epoch', involved: ['gsnEnd', 'gsnStart'] });
  }
  if (experiment.mask === 'imp' && experiment.impRewind > experiment.pretrainEpochs) {
    issues.push({ field: 'impRewind', message: `must not exceed the ${experiment.pretrainEpochs} mask training epochs`, involved: ['impRewind', 'pretrainEpochs'] });
  }
  const dataset = DATASETS.find((d) => d.id === experiment.dataset);
  if (architectureNeedsImages(experiment.arch) && dataset?.kind === 'synthetic-2d') {
    issues.push({ field: 'arch', message: `needs image data; ${dataset.label} has 2-D points`, involved: ['arch', 'dataset'] });
  }
  if (dataset?.kind !== 'synthetic-2d') return issues;
  const nonTest = experiment.samples - Math.round(experiment.samples * experiment.testFraction);
  const trainCount = nonTest - Math.round(nonTest * experiment.valFraction);
  if (trainCount < experiment.batchSize) {
    issues.push({
      field: 'batchSize',
      message: `must not exceed the ${trainCount} training samples`,
      involved: ['batchSize', 'samples', 'testFraction', 'valFraction'],
    });
  }
  return issues;
}

export const experimentSchema = z
  .object(shape)
  .strict()
  .superRefine((value, ctx) => {
    for (const issue of crossFieldIssues(value as Experiment)) {
      ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
    }
  });


export type ValidationResult = { ok: true; experiment: Experiment } | { ok: false; issues: ExperimentIssue[] };

/** Validates a whole experiment, as received from the UI, a link or the CLI. */
export function validateExperiment(input: unknown): ValidationResult {
  const parsed = experimentSchema.safeParse(input);
  if (parsed.success) return { ok: true, experiment: parsed.data as Experiment };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      field: (issue.path[0] ?? 'experiment') as FieldKey,
      message: issue.message,
    })),
  };
}

/** Validates one field's value on its own (used for links and single edits). */
export function validateField<K extends FieldKey>(key: K, value: unknown): { ok: true; value: Experiment[K] } | { ok: false; message: string } {
  const parsed = FIELDS[key].schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data as Experiment[K] };
  return { ok: false, message: parsed.error.issues[0]?.message ?? 'is invalid' };
}

export function describeIssue(issue: ExperimentIssue): string {
  const field = FIELDS[issue.field as FieldKey];
  return `${field ? field.label : issue.field}: ${issue.message}`;
}
