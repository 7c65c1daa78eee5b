import type { ArchitectureId } from '../src/engine/models/catalog';

/** One training-step benchmark; the same definition drives tfjs (Node and Chromium) and PyTorch. */
export interface Workload {
  readonly name: string;
  readonly arch: ArchitectureId;
  readonly inputShape: readonly number[];
  readonly hidden?: readonly number[];
  readonly batch: number;
  /** Timed steps by default: many for the fast networks (their medians are noisy), few for the ResNets (seconds a step). */
  readonly steps: number;
  /** The ResNets also take one warm-up step instead of two, and never more timed steps than their default. */
  readonly slow?: boolean;
  /** Unmasked, then masked, with one network in memory at a time (see timeMaskedAndUnmasked). */
  readonly oneAtATime?: boolean;
}

export const WORKLOADS: readonly Workload[] = [
  { name: 'MLP 784-300-100-10', arch: 'mlp', inputShape: [784], hidden: [300, 100], batch: 128, steps: 100 },
  { name: 'LeNet-5 28×28×1', arch: 'lenet5', inputShape: [28, 28, 1], batch: 128, steps: 20 },
  { name: 'ResNet-20 32×32×3', arch: 'resnet20', inputShape: [32, 32, 3], batch: 128, steps: 5, slow: true },
  { name: 'ResNet-18 32×32×3', arch: 'resnet18', inputShape: [32, 32, 3], batch: 128, steps: 2, slow: true, oneAtATime: true },
];

/** Timed and warm-up steps for a workload; `requested` (the --steps flag) replaces the default, up to a slow one's. */
export function stepCounts(workload: Workload, requested?: number): { timed: number; warmup: number } {
  const timed = requested === undefined ? workload.steps : workload.slow ? Math.min(requested, workload.steps) : requested;
  return { timed: Math.max(1, timed), warmup: workload.slow ? 1 : 2 };
}

/**
 * Warm-up lasts at least this long (as well as its steps) for workloads of
 * short steps, on both sides: V8 keeps optimising tfjs's JavaScript for the
 * first hundred or so steps of an MLP, so two warm-up steps left the first
 * row timed slower than the rows after it (a 2-thread MLP row measured below
 * the 1-thread row that followed it). PyTorch gets the same.
 */
export const minimumWarmUpMs = (workload: Workload): number => (workload.slow ? 0 : 2000);
