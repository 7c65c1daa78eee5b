import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { idxDataset, parseIdx, parseIdxImages, parseIdxLabels } from './idx';

/** An IDX file of unsigned bytes with the given dimensions. */
function idx(dims: number[], values: ArrayLike<number>): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header.set([0, 0, 0x08, dims.length]);
  const view = new DataView(header.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + values.length);
  out.set(header);
  out.set(Array.from(values), header.length);
  return out;
}

const pixels = Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
const images = idx([3, 2, 4], pixels);
const labels = idx([3], [2, 0, 9]);

describe('IDX', () => {
  it('reads dimensions and data, plain or gzipped', () => {
    for (const file of [images, gzipSync(images)]) {
      const parsed = parseIdx(file, 'f');
      expect(parsed.dims).toEqual([3, 2, 4]);
      expect(Array.from(parsed.data)).toEqual(pixels);
    }
  });

  it('reads images and labels', () => {
    const parsed = parseIdxImages(images, 'img');
    expect(parsed).toMatchObject({ count: 3, height: 2, width: 4 });
    expect(Array.from(parseIdxLabels(labels, 'lab', 10))).toEqual([2, 0, 9]);
  });

  it('builds a one-channel dataset', () => {
    const data = idxDataset(
      { id: 'tiny', name: 'Tiny', classNames: Array.from({ length: 10 }, (_, i) => String(i)) },
      {
        trainImages: { name: 'a', data: gzipSync(images) },
        trainLabels: { name: 'b', data: labels },
        testImages: { name: 'c', data: idx([1, 2, 4], pixels.slice(0, 8)) },
        testLabels: { name: 'd', data: idx([1], [5]) },
      },
    );
    expect(data).toMatchObject({ height: 2, width: 4, channels: 1, numClasses: 10 });
    expect(data.train.count).toBe(3);
    expect(Array.from(data.train.images)).toEqual(pixels);
    expect(Array.from(data.test.labels)).toEqual([5]);
  });

  it('names each bad input', () => {
    expect(() => parseIdx(new TextEncoder().encode('hello world'), 'notes.txt')).toThrow(
      /notes\.txt is not an IDX file/,
    );
    expect(() => parseIdx(images.subarray(0, images.length - 5), 'cut')).toThrow(/cut is truncated.*3×2×4/);
    expect(() => parseIdx(images.subarray(0, 10), 'cut')).toThrow(/cut is truncated: its IDX header/);
    expect(() => parseIdx(gzipSync(images).subarray(0, 20), 'cut.gz')).toThrow(/cut\.gz is truncated/);
    const floats = images.slice();
    floats[2] = 0x0d;
    expect(() => parseIdx(floats, 'f')).toThrow(/32-bit floats/);
    expect(() => parseIdxImages(labels, 'train-labels')).toThrow(/does not hold images.*labels file/);
    expect(() => parseIdxLabels(images, 'train-images', 10)).toThrow(/does not hold labels.*images file/);
    expect(() => parseIdxLabels(idx([2], [1, 10]), 'lab', 10)).toThrow(
      /label 10 of item 1 is out of range \(expected 0–9\)/,
    );
  });

  it('refuses files that do not belong together', () => {
    const meta = { id: 't', name: 'T', classNames: Array.from({ length: 10 }, (_, i) => String(i)) };
    const good = { trainImages: { name: 'a', data: images }, trainLabels: { name: 'b', data: labels } };
    expect(() =>
      idxDataset(meta, {
        ...good,
        testImages: { name: 'c', data: images },
        testLabels: { name: 'd', data: idx([1], [1]) },
      }),
    ).toThrow(/c holds 3 images but d holds 1 labels/);
    expect(() =>
      idxDataset(meta, {
        ...good,
        testImages: { name: 'c', data: idx([1, 4, 2], pixels.slice(0, 8)) },
        testLabels: { name: 'd', data: idx([1], [1]) },
      }),
    ).toThrow(/Wrong image size/);
  });
});
