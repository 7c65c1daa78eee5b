import type { Rng } from '../train/rng';

/** Any uniform [0, 1) source; in the app, `Rng.stream(seed, 'augment')`. */
export type RandomSource = Pick<Rng, 'next'>;

export interface AugmentOptions {
  /** Zero padding on each side before the random crop back to the original size. Default 4, as for CIFAR. */
  padding?: number;
  /** Mirror left–right with probability 1/2. Default true; turn off for digits and text. */
  flip?: boolean;
}

/**
 * The standard CIFAR augmentation in PyTorch's order (RandomCrop with padding,
 * then RandomHorizontalFlip), applied to raw HWC bytes before normalisation so
 * that padding is true black, as in torchvision.
 *
 * Per image it draws, in this order: the crop's top offset and left offset,
 * each uniform in 0..2·padding, then (if flipping) one number, flipping when it
 * is below 1/2. The same source state therefore gives the same batch.
 */
export function augmentBatch(
  images: Uint8Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  rng: RandomSource,
  options: AugmentOptions = {},
): Uint8Array {
  const { padding = 4, flip = true } = options;
  if (!Number.isInteger(padding) || padding < 0) {
    throw new RangeError(`padding must be a whole number ≥ 0, got ${padding}.`);
  }
  const size = height * width * channels;
  if (images.length < count * size) {
    throw new RangeError(`${count} images of ${height}×${width}×${channels} need ${count * size} bytes.`);
  }
  const out = new Uint8Array(count * size);
  const choices = 2 * padding + 1;
  for (let n = 0; n < count; n++) {
    const top = Math.floor(rng.next() * choices);
    const left = Math.floor(rng.next() * choices);
    const mirrored = flip && rng.next() < 0.5;
    const base = n * size;
    for (let y = 0; y < height; y++) {
      const sy = y + top - padding;
      // Rows and columns that fall in the padding stay 0.
      if (sy < 0 || sy >= height) continue;
      for (let x = 0; x < width; x++) {
        const sx = (mirrored ? width - 1 - x : x) + left - padding;
        if (sx < 0 || sx >= width) continue;
        const from = base + (sy * width + sx) * channels;
        const to = base + (y * width + x) * channels;
        for (let c = 0; c < channels; c++) out[to + c] = images[from + c]!;
      }
    }
  }
  return out;
}
