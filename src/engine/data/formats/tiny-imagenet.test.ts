import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from '../format-error';
import { parseTinyImageNet, type TinyImageNetOptions } from './tiny-imagenet';
import { solidJpeg, zipMembers, type Rgb } from './tiny-imagenet-fixture.test-support';

/**
 * A 64×64 one-component (grayscale) baseline JPEG: a horizontal ramp, pixel
 * value 60 + x. jpeg-js only encodes colour, so this one was made once with
 * libjpeg-turbo: `cjpeg -quality 95 -grayscale -optimize ramp.pgm`.
 */
const GRAY_RAMP_JPEG = Uint8Array.from(
  atob(
    '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/wAALCABAAEABAREA/8QAFgABAQEAAAAAAAAAAAAAAAAABggJ/8QAFhAAAwAAAAAAAAAAAAAAAAAAAAVB/9oACAEBAAA/AM/VsEC2CBbBAtggWwQLYIFsEC2EPrYIFsEC2CBbBAtggWwQLYIFsIfWwQLYIFsEC2CBbBAtggWwQLYQ+tggWwQLYIFsEC2CBbBAtggWwh9bBAtggWwQLYIFsEC2CBbBAthD62CBbBAtggWwQLYIFsEC2CBbCH1sEC2CBbBAtggWwQLYIFsEC2EPrYIFsEC2CBbBAtggWwQLYIFsP//Z',
  ),
  (ch) => ch.charCodeAt(0),
);

// Listed unsorted on purpose: labels follow the sorted order.
const WNIDS = ['n03', 'n01', 'n02'];
const TRAIN_NUMBERS = [10, 0, 2, 1]; // numeric order 0, 1, 2, 10 (lexical would put 10 before 2)
const trainColor = (label: number, rank: number): Rgb => [30 + 60 * label, 20 + 10 * rank, 200 - 40 * label];
const VAL = ['n01', 'n02', 'n03', 'n01', 'n02', 'n03'];
const valColor = (k: number): Rgb => [10 + 30 * k, 240 - 30 * k, 128];
const GRAY = { wnid: 'n02', number: 2 };

function fixture(edit?: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const root = 'tiny-imagenet-200/';
  const enc = (s: string) => new TextEncoder().encode(s);
  const files: Record<string, Uint8Array> = {
    [`${root}wnids.txt`]: enc(WNIDS.join('\n') + '\n'),
    [`${root}words.txt`]: enc(
      'n00\tentity\nn01\tgoldfish, Carassius auratus\nn02\tEuropean fire salamander, Triturus vulgaris\nn03\tbullfrog\n',
    ),
    [`${root}val/val_annotations.txt`]: enc(
      VAL.map((wnid, k) => `val_${k}.JPEG\t${wnid}\t0\t3\t60\t62`).join('\n') + '\n',
    ),
    [`${root}test/images/test_0.JPEG`]: solidJpeg([1, 2, 3]),
  };
  for (const wnid of WNIDS) {
    const label = [...WNIDS].sort().indexOf(wnid);
    files[`${root}train/${wnid}/${wnid}_boxes.txt`] = enc('unused');
    for (const number of TRAIN_NUMBERS) {
      const rank = [...TRAIN_NUMBERS].sort((a, b) => a - b).indexOf(number);
      const gray = wnid === GRAY.wnid && number === GRAY.number;
      files[`${root}train/${wnid}/images/${wnid}_${number}.JPEG`] = gray
        ? GRAY_RAMP_JPEG
        : solidJpeg(trainColor(label, rank));
    }
  }
  VAL.forEach((_, k) => (files[`${root}val/images/val_${k}.JPEG`] = solidJpeg(valColor(k))));
  edit?.(files);
  return zipMembers(files);
}

const parse = (data: Uint8Array, options?: TinyImageNetOptions) =>
  parseTinyImageNet({ name: 'tiny-imagenet-200.zip', data }, options);

/** Largest channel difference between image i and a solid colour. */
function maxError(images: Uint8Array, i: number, side: number, color: Rgb): number {
  let worst = 0;
  const size = side * side * 3;
  for (let p = 0; p < side * side; p++) {
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(images[i * size + p * 3 + c]! - color[c]!));
  }
  return worst;
}

describe('TinyImageNet', () => {
  it('reads classes, names, labels, and pixels (approximately: JPEG)', async () => {
    const fractions: number[] = [];
    const data = await parse(fixture(), { onProgress: (f) => fractions.push(f) });
    expect(data).toMatchObject({ id: 'tiny-imagenet', height: 64, width: 64, channels: 3, numClasses: 3 });
    expect(data.choices).toEqual({ downsample: 1, trainPerClass: null, testPerClass: null });
    expect(data.classNames).toEqual(['goldfish', 'European fire salamander', 'bullfrog']);
    expect(data.train.count).toBe(12);
    // Interleaved across classes: rank 0 of each class, then rank 1, ...
    expect(Array.from(data.train.labels)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    for (let i = 0; i < 12; i++) {
      const label = i % 3;
      const rank = Math.floor(i / 3);
      if (label === 1 && rank === 2) continue; // the grayscale one
      expect(maxError(data.train.images, i, 64, trainColor(label, rank))).toBeLessThanOrEqual(3);
    }
    expect(data.test.count).toBe(6);
    expect(Array.from(data.test.labels)).toEqual([0, 1, 2, 0, 1, 2]);
    for (let k = 0; k < 6; k++) expect(maxError(data.test.images, k, 64, valColor(k))).toBeLessThanOrEqual(3);
    expect(fractions.at(-1)).toBe(1);
  });

  it('turns a grayscale JPEG into three equal channels', async () => {
    const data = await parse(fixture());
    const gray = data.train.images.subarray(7 * 64 * 64 * 3, 8 * 64 * 64 * 3); // class 1, rank 2
    for (let y = 0; y < 64; y += 9) {
      for (let x = 0; x < 64; x += 7) {
        const p = (y * 64 + x) * 3;
        expect(gray[p]).toBe(gray[p + 1]);
        expect(gray[p]).toBe(gray[p + 2]);
        expect(Math.abs(gray[p]! - (60 + x))).toBeLessThanOrEqual(3);
      }
    }
  });

  it('keeps a subset per class and downsamples 64→32', async () => {
    const data = await parse(fixture(), { maxTrainPerClass: 2, maxTestPerClass: 1, downsample: 2 });
    // One cache id whatever the variant; the name and the choices tell them apart.
    expect(data).toMatchObject({ id: 'tiny-imagenet', height: 32, width: 32 });
    expect(data.choices).toEqual({ downsample: 2, trainPerClass: 2, testPerClass: 1 });
    expect(data.name).toBe('TinyImageNet (32×32, 2 train/class, 1 test/class)');
    expect(data.train.count).toBe(6);
    expect(data.train.images.length).toBe(6 * 32 * 32 * 3);
    expect(Array.from(data.train.labels)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(maxError(data.train.images, 4, 32, trainColor(1, 1))).toBeLessThanOrEqual(3);
    expect(data.test.count).toBe(3);
    expect(maxError(data.test.images, 2, 32, valColor(2))).toBeLessThanOrEqual(3);
  });

  it('uses a given JPEG decoder, sync or async, and still checks its output size', async () => {
    const seen: string[] = [];
    const flat = (fill: number) => ({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(fill) });
    const data = await parse(fixture(), {
      decodeJpeg: async (_bytes, name) => {
        seen.push(name);
        return flat(name.includes('/val/') ? 200 : 100);
      },
    });
    expect(seen).toHaveLength(12 + 6);
    expect([data.train.images[0], data.test.images[0]]).toEqual([100, 200]);
    await expect(parse(fixture(), { downsample: 3 })).rejects.toThrow(RangeError);
    const small = parse(fixture(), {
      decodeJpeg: () => ({ width: 32, height: 64, data: new Uint8Array(32 * 64 * 3) }),
    });
    await expect(small).rejects.toThrow(/Wrong image size: .* is 32×64, expected 64×64/);
  });

  it('downsamples the grayscale ramp by averaging pairs of columns', async () => {
    const data = await parse(fixture(), { downsample: 2 });
    const gray = data.train.images.subarray(7 * 32 * 32 * 3);
    // Output column x averages input columns 2x and 2x+1: 60 + 2x + 0.5.
    for (const x of [0, 5, 17, 31]) expect(Math.abs(gray[(10 * 32 + x) * 3]! - (60.5 + 2 * x))).toBeLessThanOrEqual(3);
  });
});

describe('bad TinyImageNet input', () => {
  const message = async (data: Uint8Array) => {
    const error = await parse(data).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetFormatError);
    return (error as Error).message;
  };

  it('truncated archive', async () => {
    const zip = fixture();
    expect(await message(zip.subarray(0, zip.length - 1000))).toMatch(
      /tiny-imagenet-200\.zip is not a zip file or is truncated/,
    );
  });

  it('wrong file', async () => {
    expect(await message(zipSync({ 'cifar-10-batches-bin/test_batch.bin': new Uint8Array(10) }))).toMatch(
      /missing tiny-imagenet-200\/wnids\.txt: is it tiny-imagenet-200\.zip\?/,
    );
    expect(await message(new TextEncoder().encode('hello'))).toMatch(/not a zip file/);
  });

  it('missing members', async () => {
    expect(await message(fixture((files) => delete files['tiny-imagenet-200/val/val_annotations.txt']))).toMatch(
      /missing tiny-imagenet-200\/val\/val_annotations\.txt/,
    );
    expect(await message(fixture((files) => delete files['tiny-imagenet-200/val/images/val_3.JPEG']))).toMatch(
      /missing tiny-imagenet-200\/val\/images\/val_3\.JPEG/,
    );
    expect(
      await message(
        fixture((files) => {
          for (const name of Object.keys(files)) if (name.includes('/train/n03/images/')) delete files[name];
        }),
      ),
    ).toMatch(/no training images for that class/);
  });

  it('label out of range', async () => {
    const zip = fixture((files) => {
      files['tiny-imagenet-200/val/val_annotations.txt'] = new TextEncoder().encode('val_0.JPEG\tn99\t0\t0\t1\t1\n');
    });
    expect(await message(zip)).toMatch(/val_0\.JPEG has label n99, which is not one of the 3 classes/);
  });

  it('wrong image size', async () => {
    const zip = fixture((files) => (files['tiny-imagenet-200/train/n01/images/n01_1.JPEG'] = solidJpeg([5, 5, 5], 32)));
    expect(await message(zip)).toMatch(
      /Wrong image size: tiny-imagenet-200\/train\/n01\/images\/n01_1\.JPEG is 32×32, expected 64×64/,
    );
  });

  it('corrupt image and corrupt compressed member', async () => {
    const zip = fixture(
      (files) => (files['tiny-imagenet-200/val/images/val_4.JPEG'] = new TextEncoder().encode('not a jpeg')),
    );
    expect(await message(zip)).toMatch(/val_4\.JPEG is not a readable JPEG/);
    const cutOff = fixture((files) => {
      const whole = files['tiny-imagenet-200/val/images/val_5.JPEG']!;
      files['tiny-imagenet-200/val/images/val_5.JPEG'] = whole.subarray(0, whole.length - 200);
    });
    expect(await message(cutOff)).toMatch(/val_5\.JPEG is not a readable JPEG image \(it is cut off/);
    // Damage the deflated wnids.txt, the first member: its data follows the 30-byte local header and the name.
    const damaged = fixture().slice();
    const start = 30 + 'tiny-imagenet-200/wnids.txt'.length;
    for (let i = start; i < start + 8; i++) damaged[i] = 0xff;
    expect(await message(damaged)).toMatch(/tiny-imagenet-200\.zip is corrupt or truncated/);
  });
});
