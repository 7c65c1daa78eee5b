import { describe, expect, it } from 'vitest';
import { useLab } from './index';

describe('LRsI in the store', () => {
  it('keeps the last GradInit iteration, then the learned scales, per recipe; a new run clears them', () => {
    const lab = useLab.getState();
    lab.beginRun(lab.experiment);
    const iteration = { iteration: 3, iterations: 50, step: 'objective' as const, loss: 1.1, gradNorm: 0.4, objective: 10.5 };
    useLab.getState().applyEvent({ type: 'lrsi-progress', recipe: 'tost', ...iteration });
    expect(useLab.getState().lrsi.tost).toEqual({ progress: iteration, outcome: null });
    expect(useLab.getState().lrsi.default).toEqual({ progress: null, outcome: null });

    const scales = [{ name: 'fc1.weight', role: 'weight' as const, scale: 1.3 }];
    useLab.getState().applyEvent({ type: 'lrsi-done', recipe: 'tost', iterations: 50, constraintSteps: 4, objectiveSteps: 46, scales });
    expect(useLab.getState().lrsi.tost.outcome).toEqual({ iterations: 50, constraintSteps: 4, objectiveSteps: 46, scales });

    useLab.getState().beginRun(lab.experiment);
    expect(useLab.getState().lrsi.tost).toEqual({ progress: null, outcome: null });
  });
});
