/** Slider positions 0…STEPS map to values whose complement (1 − v) is spaced evenly on a log scale. */
export const LOG_SLIDER_STEPS = 1000;

export function sliderToValue(position: number, range: { from: number; to: number }): number {
  const start = Math.log(1 - range.from);
  const end = Math.log(1 - range.to);
  const value = 1 - Math.exp(start + ((end - start) * position) / LOG_SLIDER_STEPS);
  // Four significant digits of the kept share keep links short: 0.9 not 0.90000001.
  return 1 - Number((1 - value).toPrecision(3));
}

export function valueToSlider(value: number, range: { from: number; to: number }): number {
  const start = Math.log(1 - range.from);
  const end = Math.log(1 - range.to);
  const clamped = Math.min(Math.max(value, range.from), range.to);
  return Math.round(((Math.log(1 - clamped) - start) / (end - start)) * LOG_SLIDER_STEPS) || 0;
}
