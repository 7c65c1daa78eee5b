import type { SessionEvent } from '../engine/train/events';

type LrsiDone = Extract<SessionEvent, { type: 'lrsi-done' }>;

/** The JSON line for a finished LRsI: how GradInit went, and the learned scale per tensor by name (4 decimals). */
export function lrsiRecord(seed: number, event: LrsiDone): object {
  return {
    seed,
    recipe: event.recipe,
    lrsi: {
      iterations: event.iterations,
      constraintSteps: event.constraintSteps,
      objectiveSteps: event.objectiveSteps,
      scales: Object.fromEntries(event.scales.map((s) => [s.name, Math.round(s.scale * 1e4) / 1e4])),
    },
  };
}
