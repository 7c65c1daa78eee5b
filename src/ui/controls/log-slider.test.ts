import { describe, expect, it } from 'vitest';
import { LOG_SLIDER_STEPS, sliderToValue, valueToSlider } from './log-slider';

const range = { from: 0.5, to: 0.999 };

describe('log-scale sparsity slider', () => {
  it('spans 50% to 99.9% with even steps of the kept share', () => {
    expect(sliderToValue(0, range)).toBeCloseTo(0.5, 10);
    expect(sliderToValue(LOG_SLIDER_STEPS, range)).toBeCloseTo(0.999, 10);
    // Halfway keeps √(0.5 · 0.001) ≈ 2.24% of the weights.
    expect(1 - sliderToValue(LOG_SLIDER_STEPS / 2, range)).toBeCloseTo(Math.sqrt(0.5 * 0.001), 4);
  });

  it('round-trips positions and values', () => {
    for (const sparsity of [0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999]) {
      expect(sliderToValue(valueToSlider(sparsity, range), range)).toBeCloseTo(sparsity, 2);
      expect(Math.abs(sliderToValue(valueToSlider(sparsity, range), range) - sparsity) / (1 - sparsity)).toBeLessThan(0.01);
    }
    // Values outside the slider's range sit at its ends.
    expect(valueToSlider(0.1, range)).toBe(0);
  });
});
