/**
 * The datasets a user can pick, without their loaders: the schema and the UI
 * import this list, and must not pull tfjs or data into the main bundle.
 * `registry.ts` maps each id to its loader and is checked against this list.
 */
export const DATASETS = [
  { id: 'spirals', label: 'Spirals (3 arms)', classes: 3, kind: 'synthetic-2d' },
  { id: 'moons', label: 'Two moons', classes: 2, kind: 'synthetic-2d' },
  { id: 'circles', label: 'Circles', classes: 2, kind: 'synthetic-2d' },
  { id: 'xor', label: 'XOR', classes: 2, kind: 'synthetic-2d' },
] as const;

export type DatasetId = (typeof DATASETS)[number]['id'];
