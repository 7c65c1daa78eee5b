/** Mask methods a user can pick (ids and labels only; see registry.ts for scorers). */
export const MASK_METHODS = [
  { id: 'random', label: 'Random (uniform per layer)' },
  { id: 'erk', label: 'Random ERK (denser small layers)' },
] as const;

export type MaskMethodId = (typeof MASK_METHODS)[number]['id'];
