import type { StateCreator } from 'zustand';
import type { GradInitIteration, LrsiScale, RecipeId, SessionEvent } from '../../worker/protocol';
import type { LabState } from './index';

/** LRsI of one recipe in the current run: GradInit's last reported iteration, then the scales it learned. */
export interface LrsiState {
  readonly progress: GradInitIteration | null;
  readonly outcome: { readonly iterations: number; readonly constraintSteps: number; readonly objectiveSteps: number; readonly scales: readonly LrsiScale[] } | null;
}

export type LrsiEvent = Extract<SessionEvent, { type: 'lrsi-progress' | 'lrsi-done' }>;

export interface LrsiSlice {
  lrsi: Record<RecipeId, LrsiState>;
}

const none: LrsiState = { progress: null, outcome: null };

/** The slice's state at the start of a run (the run slice resets it with its own). */
export const emptyLrsi = (): Pick<LrsiSlice, 'lrsi'> => ({ lrsi: { default: none, tost: none } });

export function afterLrsiEvent(lrsi: LrsiSlice['lrsi'], event: LrsiEvent): Pick<LrsiSlice, 'lrsi'> {
  const { type, recipe, ...rest } = event;
  const current = lrsi[recipe];
  if (type === 'lrsi-progress') return { lrsi: { ...lrsi, [recipe]: { ...current, progress: rest as GradInitIteration } } };
  const { iterations, constraintSteps, objectiveSteps, scales } = event as Extract<LrsiEvent, { type: 'lrsi-done' }>;
  return { lrsi: { ...lrsi, [recipe]: { ...current, outcome: { iterations, constraintSteps, objectiveSteps, scales } } } };
}

export const createLrsiSlice: StateCreator<LabState, [], [], LrsiSlice> = () => emptyLrsi();
