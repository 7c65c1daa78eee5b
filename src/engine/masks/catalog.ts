/**
 * Mask methods a user can pick (ids, labels and what each needs; see
 * registry.ts for the methods). `scored`: ranks weights, so the scope
 * (global or per layer) applies; `trains`: trains the network first, for
 * `pretrainEpochs`; `data`: reads training examples.
 */
export const MASK_METHODS = [
  { id: 'random', label: 'Random (uniform per layer)', scored: false, trains: false, data: false },
  { id: 'erk', label: 'Random ERK (denser small layers)', scored: false, trains: false, data: false },
  { id: 'magnitude', label: 'Magnitude at initialisation', scored: true, trains: false, data: false },
  { id: 'snip', label: 'SNIP (|g·w| on a batch)', scored: true, trains: false, data: true },
  { id: 'taylor', label: 'Taylor (first order)', scored: true, trains: false, data: true },
  { id: 'grasp', label: 'GraSP (Hessian-gradient product)', scored: true, trains: false, data: true },
  { id: 'synflow', label: 'SynFlow (data-free, iterative)', scored: true, trains: false, data: false },
  { id: 'omp', label: 'One-shot magnitude after training (OMP)', scored: true, trains: true, data: true },
  { id: 'gmp', label: 'Gradual magnitude pruning (GMP)', scored: true, trains: true, data: true },
  { id: 'imp', label: 'Lottery ticket (iterative magnitude, rewinding)', scored: true, trains: true, data: true },
] as const;

export type MaskMethodId = (typeof MASK_METHODS)[number]['id'];

export function maskMethodInfo(id: MaskMethodId): (typeof MASK_METHODS)[number] {
  return MASK_METHODS.find((method) => method.id === id)!;
}
