import { defaultExperiment, FIELD_KEYS, FIELDS, type Experiment, type FieldKey } from './schema';
import { crossFieldIssues, validateField, type ExperimentIssue } from './validation';
import type { Field } from './fields';

/**
 * Share links: `#v=1&dataset=moons&sparsity=0.95&hidden=64-64`.
 * Readable key=value pairs named after the schema's fields, only those that
 * differ from the defaults, behind a format version. Decoding never throws:
 * every problem becomes a message naming the field, and valid fields still apply.
 */

export const URL_FORMAT_VERSION = 1;
const VERSION_KEY = 'v';
const LIST_SEPARATOR = '-';

export interface DecodedLink {
  experiment: Experiment;
  /** Values that were present but rejected, one per field. */
  issues: ExperimentIssue[];
  /** Keys the link carried that this version does not know (ignored). */
  unknownKeys: string[];
  /** Set when the link declares a format this lab does not know. */
  versionProblem: string | null;
}

function encodeValue(field: Field, value: unknown): string {
  switch (field.kind) {
    case 'bool':
      return value ? '1' : '0';
    case 'intList':
      return (value as readonly number[]).join(LIST_SEPARATOR);
    case 'number':
      // Shortest text that parses back to the same double.
      return String(value);
    case 'enum':
      return String(value);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** The hash (without '#') for an experiment: version first, then non-default fields in schema order. */
export function encodeExperiment(experiment: Experiment): string {
  const parts = [`${VERSION_KEY}=${URL_FORMAT_VERSION}`];
  for (const key of FIELD_KEYS) {
    const field = FIELDS[key] as Field;
    const value = experiment[key];
    if (sameValue(value, field.default)) continue;
    parts.push(`${key}=${encodeURIComponent(encodeValue(field, value))}`);
  }
  return parts.join('&');
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function parseNumber(text: string): Parsed {
  const trimmed = text.trim();
  // Number('') is 0 and Number('0x10') is 16: accept plain decimal notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return { ok: false, message: `"${text}" is not a number` };
  return { ok: true, value: Number(trimmed) };
}

function decodeValue(field: Field, text: string): Parsed {
  switch (field.kind) {
    case 'bool': {
      const lowered = text.toLowerCase();
      if (lowered === '1' || lowered === 'true') return { ok: true, value: true };
      if (lowered === '0' || lowered === 'false') return { ok: true, value: false };
      return { ok: false, message: `"${text}" is not on/off (use 1 or 0)` };
    }
    case 'number':
      return parseNumber(text);
    case 'enum':
      return { ok: true, value: text };
    case 'intList': {
      const items = text.split(/[-,\s]+/).filter((item) => item.length > 0);
      const values: number[] = [];
      for (const item of items) {
        const parsed = parseNumber(item);
        if (!parsed.ok) return parsed;
        values.push(parsed.value as number);
      }
      return { ok: true, value: values };
    }
  }
}

function safeDecodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

function isFieldKey(key: string): key is FieldKey {
  return Object.prototype.hasOwnProperty.call(FIELDS, key);
}

/** Reads a hash (with or without the leading '#'). Never throws. */
export function decodeExperiment(hash: string): DecodedLink {
  const values: Record<string, unknown> = { ...defaultExperiment };
  const issues: ExperimentIssue[] = [];
  const unknownKeys: string[] = [];
  let versionProblem: string | null = null;

  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  const seen = new Set<string>();
  for (const pair of body.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const key = safeDecodeComponent(rawKey);
    const text = safeDecodeComponent(eq === -1 ? '' : pair.slice(eq + 1));
    if (key === null) {
      unknownKeys.push(rawKey);
      continue;
    }
    if (key === VERSION_KEY) {
      if (text !== String(URL_FORMAT_VERSION)) {
        versionProblem = `This link uses format version "${text ?? rawKey}"; this lab reads version ${URL_FORMAT_VERSION}, so some settings may not apply.`;
      }
      continue;
    }
    if (!isFieldKey(key)) {
      unknownKeys.push(key);
      continue;
    }
    if (seen.has(key)) {
      issues.push({ field: key, message: 'appears more than once in the link; the first value was used' });
      continue;
    }
    seen.add(key);
    if (text === null) {
      issues.push({ field: key, message: 'is not valid URL text' });
      continue;
    }
    const field = FIELDS[key] as Field;
    const decoded = decodeValue(field, text);
    if (!decoded.ok) {
      issues.push({ field: key, message: decoded.message });
      continue;
    }
    const checked = validateField(key, decoded.value);
    if (!checked.ok) {
      issues.push({ field: key, message: `"${text}" ${checked.message}` });
      continue;
    }
    values[key] = checked.value;
  }

  // A combination can be invalid although each value is fine: fall back to the
  // defaults of the fields the check reads (defaults satisfy every check), so
  // the rest of the link still applies.
  for (const issue of crossFieldIssues(values as Experiment)) {
    issues.push({ field: issue.field, message: `${issue.message}; the defaults were used` });
    for (const key of issue.involved) values[key] = FIELDS[key].default;
  }
  return { experiment: values as Experiment, issues, unknownKeys, versionProblem };
}
