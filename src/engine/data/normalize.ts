/**
 * Per-channel normalisation, (x/255 − mean) / std, with the constants the
 * literature uses for each dataset so results compare with published ones.
 */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

const CIFAR: Normalization = { mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.201] };

export const NORMALIZATION = {
  mnist: { mean: [0.1307], std: [0.3081] },
  'fashion-mnist': { mean: [0.286], std: [0.353] },
  cifar10: CIFAR,
  cifar100: CIFAR,
  // ImageNet's statistics, the usual choice for TinyImageNet.
  'tiny-imagenet': { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
} as const satisfies Record<string, Normalization>;

export function normalizeBatch(
  images: Uint8Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  mean: readonly number[],
  std: readonly number[],
): Float32Array {
  if (mean.length !== channels || std.length !== channels) {
    throw new RangeError(`Need one mean and one std per channel (${channels}), got ${mean.length} and ${std.length}.`);
  }
  if (std.some((s) => !(s > 0))) throw new RangeError('Every std must be positive.');
  const length = count * height * width * channels;
  if (images.length < length) {
    throw new RangeError(`${count} images of ${height}×${width}×${channels} need ${length} bytes.`);
  }
  // x/255 − mean over std, folded into one multiply-add per value.
  const scale = std.map((s) => 1 / (255 * s));
  const shift = mean.map((m, c) => -m / std[c]!);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += channels) {
    for (let c = 0; c < channels; c++) out[i + c] = images[i + c]! * scale[c]! + shift[c]!;
  }
  return out;
}
