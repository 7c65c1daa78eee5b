import { describe, expect, it } from 'vitest';
import { RescaleAdam } from './rescale-adam';

describe('RescaleAdam', () => {
  it('takes Adam steps on the scale, with separate first moments and a shared second moment (hand-computed)', () => {
    const adam = new RescaleAdam({ lr: 0.01, minScales: [0.01], gradClip: 1 });

    // Objective step, ĝ = 0.5: m = 0.05, v = 0.00025, m̂ = 0.05/0.1 = 0.5, v̂ = 0.00025/0.001 = 0.25 → α = 1 − 0.01·0.5/0.5.
    adam.step([0.5], 'objective');
    expect(adam.scales[0]).toBeCloseTo(1 - (0.01 * 0.5) / (0.5 + 1e-8), 12);
    expect(adam.scales[0]).toBeCloseTo(0.99, 8);

    // Constraint step, ĝ = 3 clipped to 1: its own m = 0.1 after 1 step (m̂ = 1);
    // shared v = 0.999·0.00025 + 0.001·1 = 0.00124975 over 2 steps, v̂ = 0.00124975/(1 − 0.999²) = 0.00124975/0.001999.
    adam.step([3], 'constraint');
    const vHat = 0.00124975 / 0.001999;
    expect(adam.scales[0]).toBeCloseTo(1 - (0.01 * 0.5) / (0.5 + 1e-8) - 0.01 / (Math.sqrt(vHat) + 1e-8), 12);
    expect(adam.scales[0]).toBeCloseTo(0.977352, 5);

    // Second objective step, ĝ = −0.2: m = 0.9·0.05 + 0.1·(−0.2) = 0.025, bias correction 1 − 0.81 = 0.19;
    // v = 0.999·0.00124975 + 0.001·0.04 over 3 steps.
    const before = adam.scales[0]!;
    adam.step([-0.2], 'objective');
    const v3 = 0.999 * 0.00124975 + 0.001 * 0.04;
    const expected = before - ((0.01 / 0.19) * 0.025) / (Math.sqrt(v3 / (1 - 0.999 ** 3)) + 1e-8);
    expect(adam.scales[0]).toBeCloseTo(expected, 12);
  });

  it('never goes below the floor', () => {
    const adam = new RescaleAdam({ lr: 0.5, minScales: [0.3, 0.01], gradClip: 1 });
    for (let i = 0; i < 50; i++) adam.step([1, 1], i % 3 === 0 ? 'constraint' : 'objective');
    expect(adam.scales).toEqual([0.3, 0.01]);
  });

  it('freezes a scale that reached 0 (a bias with floor 0), as the reference skips zero-norm tensors', () => {
    const adam = new RescaleAdam({ lr: 0.6, minScales: [0, 0], gradClip: 1 });
    // Adam's first steps move by about lr whatever the gradient's size: 1 → 0.4 → 0.
    adam.step([1, -1], 'objective');
    adam.step([1, -1], 'objective');
    expect(adam.scales[0]).toBe(0);
    adam.step([-1, -1], 'objective');
    expect(adam.scales[0]).toBe(0);
    expect(adam.scales[1]).toBeGreaterThan(2);
  });

  it('clips each scalar gradient to ±gradClip, and uses it as it is with clipping off', () => {
    const clipped = new RescaleAdam({ lr: 0.01, minScales: [0], gradClip: 1 });
    const unclipped = new RescaleAdam({ lr: 0.01, minScales: [0], gradClip: 0 });
    for (const adam of [clipped, unclipped]) {
      adam.step([0.1], 'objective');
      adam.step([10], 'objective');
    }
    // Step 1 (ĝ = 0.1) moves by lr either way; step 2 sees ĝ = 1 (clipped) or 10.
    const afterSecond = (g: number) => {
      const m = 0.9 * 0.01 + 0.1 * g;
      const v = 0.999 * 0.00001 + 0.001 * g * g;
      return 1 - (0.01 * 0.01) / 0.1 / (Math.sqrt(0.00001 / 0.001) + 1e-8) - ((0.01 / 0.19) * m) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8);
    };
    expect(clipped.scales[0]).toBeCloseTo(afterSecond(1), 12);
    expect(unclipped.scales[0]).toBeCloseTo(afterSecond(10), 12);
    expect(Math.abs(clipped.scales[0]! - unclipped.scales[0]!)).toBeGreaterThan(1e-4);
  });
});
