import { describe, expect, it } from 'vitest';
import { lrsiRecord } from './lrsi-record';

describe('CLI record of LRsI', () => {
  it('names every scale, rounded, with the step counts', () => {
    const record = lrsiRecord(2, {
      type: 'lrsi-done',
      recipe: 'tost',
      iterations: 50,
      constraintSteps: 3,
      objectiveSteps: 47,
      scales: [
        { name: 'fc1.weight', role: 'weight', scale: 1.234567 },
        { name: 'fc1.bias', role: 'bias', scale: 0 },
      ],
    });
    expect(JSON.parse(JSON.stringify(record))).toEqual({
      seed: 2,
      recipe: 'tost',
      lrsi: { iterations: 50, constraintSteps: 3, objectiveSteps: 47, scales: { 'fc1.weight': 1.2346, 'fc1.bias': 0 } },
    });
  });
});
