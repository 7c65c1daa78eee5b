import type { Field } from '../engine/experiment/fields';
import { FIELD_KEYS, FIELDS } from '../engine/experiment/schema';
import { decodeExperiment, type DecodedLink } from '../engine/experiment/url-codec';

/** Options of the command line itself, besides the experiment's fields. */
export interface CliOptions {
  readonly seeds: number[] | null;
  readonly backend: string;
  readonly out: string | null;
  /** Threads for the WASM matrix product (1: the calling thread alone); `null`: one per core. */
  readonly threads: number | null;
  readonly help: boolean;
}

export interface ParsedArgs {
  readonly decoded: DecodedLink;
  readonly options: CliOptions;
  /** Flags that are neither fields nor options. */
  readonly unknown: string[];
}

/**
 * `--sparsity 0.95 --hidden 300-100 --no-ls --seeds 1,2,3`: every experiment
 * field is a flag named after it, read by the share-link decoder so the CLI,
 * the URL and the UI accept exactly the same values.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const pairs: string[] = [];
  const unknown: string[] = [];
  let seeds: number[] | null = null;
  let backend = 'wasm';
  let out: string | null = null;
  let threads: number | null = null;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      unknown.push(arg);
      continue;
    }
    const [rawName, inlineValue] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const negated = rawName.startsWith('no-') && FIELD_KEYS.includes(rawName.slice(3) as never);
    const name = negated ? rawName.slice(3) : rawName;
    const field = (FIELDS as Record<string, Field>)[name];
    const takesValue = !(field?.kind === 'bool' && (negated || inlineValue === undefined) && !/^(0|1|true|false)$/.test(argv[i + 1] ?? ''));
    const value = negated ? '0' : inlineValue ?? (takesValue ? argv[++i] ?? '' : '1');
    if (name === 'seeds') seeds = value.split(',').map((s) => Number(s.trim()));
    else if (name === 'backend') backend = value;
    else if (name === 'out') out = value;
    else if (name === 'threads') {
      if (/^[1-9]\d*$/.test(value)) threads = Number(value);
      else unknown.push(`--threads ${value} (a whole number from 1)`);
    }
    else if (field) pairs.push(`${name}=${encodeURIComponent(value)}`);
    else unknown.push(inlineValue === undefined && takesValue ? `${arg} ${value}` : arg);
  }
  return { decoded: decodeExperiment(pairs.join('&')), options: { seeds, backend, out, threads, help }, unknown };
}

/** The flag reference, generated from the schema. */
export function usage(): string {
  const lines = [
    'Usage: npm run cli -- [--field value …] [--seeds 1,2,3] [--backend wasm|cpu] [--threads N] [--out results.jsonl]',
    '  --threads: threads for the WASM backend\'s matrix products and convolutions [one per core]',
    '',
    'Trains Default and ToST side by side and prints one JSON line per epoch and recipe, then a summary.',
    'Fields (defaults in brackets; booleans take 1/0, true/false, or --no-<field>; lists use 64-64):',
  ];
  for (const key of FIELD_KEYS) {
    const field = FIELDS[key] as Field;
    const shown = Array.isArray(field.default) ? field.default.join('-') : String(field.default);
    const choices = field.kind === 'enum' ? ` {${field.options.map((o) => o.value).join('|')}}` : field.kind === 'number' ? ` (${field.min}–${field.max})` : '';
    lines.push(`  --${key}${choices} [${shown}]  ${field.help}`);
  }
  return lines.join('\n');
}
