import { describe, expect, it } from 'vitest';
import { learningRateAt, multistepMilestones, warmupFactor } from './lr-schedule';

const base = { lr: 0.1, epochs: 182, warmupEpochs: 0 };

describe('learning-rate schedules', () => {
  it('multistep follows the reference: 0.1 to epoch 89, 0.01 to 134, 0.001 after', () => {
    expect(multistepMilestones(182)).toEqual([90, 135]);
    const at = (epoch: number) => learningRateAt({ ...base, lrSchedule: 'multistep' }, epoch, 352);
    expect(at(0)).toBe(0.1);
    expect(at(89.99)).toBe(0.1);
    expect(at(90)).toBeCloseTo(0.01, 12);
    expect(at(134.5)).toBeCloseTo(0.01, 12);
    expect(at(135)).toBeCloseTo(0.001, 12);
    expect(at(181.9)).toBeCloseTo(0.001, 12);
  });

  it('multistep keeps the same shape for a short run', () => {
    expect(multistepMilestones(20)).toEqual([10, 15]);
  });

  it('cosine starts at the rate, halves at mid-run and ends at 0', () => {
    const at = (epoch: number) => learningRateAt({ ...base, lrSchedule: 'cosine', epochs: 10 }, epoch, 5);
    expect(at(0)).toBeCloseTo(0.1, 12);
    expect(at(5)).toBeCloseTo(0.05, 12);
    expect(at(10)).toBeCloseTo(0, 12);
  });

  it('constant stays put', () => {
    expect(learningRateAt({ ...base, lrSchedule: 'constant' }, 150, 10)).toBe(0.1);
  });

  it('linear warm-up rises by step to the full rate, then hands over to the schedule', () => {
    // 2 warm-up epochs of 4 steps: steps 1..8 use 1/8..8/8 of the rate.
    expect(warmupFactor(2, 0, 4)).toBeCloseTo(1 / 8, 12);
    expect(warmupFactor(2, 0.25, 4)).toBeCloseTo(2 / 8, 12);
    expect(warmupFactor(2, 1.75, 4)).toBeCloseTo(1, 12);
    expect(warmupFactor(2, 5, 4)).toBe(1);
    expect(warmupFactor(0, 0, 4)).toBe(1);
    expect(learningRateAt({ ...base, lrSchedule: 'constant', warmupEpochs: 2 }, 0.5, 4)).toBeCloseTo(0.1 * (3 / 8), 12);
  });
});
