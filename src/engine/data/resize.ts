/**
 * Shrinks HWC images by an integer factor, each output pixel the rounded mean
 * of a factor×factor block: the cheapest anti-aliased downsampling, and exact
 * to reason about in tests.
 */
export function downsampleByAveraging(
  images: Uint8Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  factor: number,
): Uint8Array {
  if (!Number.isInteger(factor) || factor < 1 || height % factor !== 0 || width % factor !== 0) {
    throw new RangeError(`Downsample factor ${factor} must be a whole number dividing ${height}×${width}.`);
  }
  if (factor === 1) return images.slice(0, count * height * width * channels);
  const outH = height / factor;
  const outW = width / factor;
  const area = factor * factor;
  const out = new Uint8Array(count * outH * outW * channels);
  for (let n = 0; n < count; n++) {
    const src = n * height * width * channels;
    const dst = n * outH * outW * channels;
    for (let y = 0; y < outH; y++) {
      for (let x = 0; x < outW; x++) {
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let dy = 0; dy < factor; dy++) {
            const row = src + ((y * factor + dy) * width + x * factor) * channels + c;
            for (let dx = 0; dx < factor; dx++) sum += images[row + dx * channels]!;
          }
          // Round half up: (sum + area/2) / area, in integers.
          out[dst + (y * outW + x) * channels + c] = Math.floor((sum + (area >> 1)) / area);
        }
      }
    }
  }
  return out;
}
