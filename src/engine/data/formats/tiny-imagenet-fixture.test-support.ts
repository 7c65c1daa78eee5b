import { zipSync, type Zippable } from 'fflate';
import { encode } from 'jpeg-js';

export type Rgb = readonly [number, number, number];

// jpeg-js takes milliseconds per encode; fixtures reuse each image.
const encoded = new Map<string, Uint8Array>();

/** A baseline colour JPEG of one solid colour (exact after decoding, up to JPEG rounding). */
export function solidJpeg(color: Rgb, side = 64): Uint8Array {
  const key = `${color.join(',')}/${side}`;
  if (!encoded.has(key)) {
    const rgba = new Uint8Array(side * side * 4);
    for (let i = 0; i < side * side; i++) rgba.set([...color, 255], i * 4);
    encoded.set(key, new Uint8Array(encode({ data: rgba, width: side, height: side }, 95).data));
  }
  return encoded.get(key)!;
}

/** Zips members the way the real archive is: JPEGs stored, text deflated. */
export function zipMembers(files: Record<string, Uint8Array>): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, data] of Object.entries(files)) zippable[name] = [data, { level: /\.jpe?g$/i.test(name) ? 0 : 6 }];
  return zipSync(zippable);
}

/** Class k's WordNet-style id; sorted order is label order. */
export const fixtureWnid = (label: number) => `n${String(label).padStart(8, '0')}`;

/** How many colours the fixture cycles through: jpeg-js needs about 0.1 s per encode, so 200 would cost 20 s. */
export const FIXTURE_COLORS = 10;

/** Class k's colour, one of ten far apart: a label off by anything but a multiple of ten shows in the pixels. */
export const fixtureColor = (label: number): Rgb => {
  const k = label % FIXTURE_COLORS;
  return [20 + 24 * k, 230 - 20 * k, k % 2 === 0 ? 40 + 10 * k : 220 - 10 * k];
};

/**
 * A small but real tiny-imagenet-200.zip: the official layout (wnids.txt,
 * words.txt, train/<wnid>/images/<wnid>_<n>.JPEG, val/images/val_<n>.JPEG with
 * val/val_annotations.txt) with 64×64 JPEGs, each of its class's colour, so a
 * network can learn them and a test can tell every label from its pixels.
 */
export function tinyImageNetZip(options: { classes?: number; trainPerClass?: number; valPerClass?: number } = {}): Uint8Array {
  const { classes = 200, trainPerClass = 3, valPerClass = 1 } = options;
  const root = 'tiny-imagenet-200/';
  const text = (s: string) => new TextEncoder().encode(s);
  const labels = Array.from({ length: classes }, (_, k) => k);
  const files: Record<string, Uint8Array> = {
    [`${root}wnids.txt`]: text(labels.map(fixtureWnid).join('\n') + '\n'),
    [`${root}words.txt`]: text(labels.map((k) => `${fixtureWnid(k)}\tthing ${k}, other name`).join('\n') + '\n'),
  };
  const annotations: string[] = [];
  for (const k of labels) {
    const wnid = fixtureWnid(k);
    files[`${root}train/${wnid}/${wnid}_boxes.txt`] = text('');
    for (let n = 0; n < trainPerClass; n++) files[`${root}train/${wnid}/images/${wnid}_${n}.JPEG`] = solidJpeg(fixtureColor(k));
    for (let n = 0; n < valPerClass; n++) {
      const file = `val_${n * classes + k}.JPEG`;
      files[`${root}val/images/${file}`] = solidJpeg(fixtureColor(k));
      annotations.push(`${file}\t${wnid}\t0\t0\t63\t63`);
    }
  }
  files[`${root}val/val_annotations.txt`] = text(annotations.join('\n') + '\n');
  return zipMembers(files);
}
