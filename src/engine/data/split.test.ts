import { describe, expect, it } from 'vitest';
import type { ImageDataset } from './image-dataset';
import { CIFAR_VALIDATION_COUNT, cifarValidationSplit, holdOutFirst } from './split';

/** A CIFAR-shaped training split whose image i starts with the bytes of i (little-endian). */
function cifarLike(count: number): ImageDataset {
  const size = 32 * 32 * 3;
  const images = new Uint8Array(count * size);
  for (let i = 0; i < count; i++) images.set([i & 0xff, i >> 8], i * size);
  const labels = Int32Array.from({ length: count }, (_, i) => i % 10);
  const split = { images, labels, count };
  return {
    id: 'cifar10',
    name: 'CIFAR-10',
    height: 32,
    width: 32,
    channels: 3,
    numClasses: 10,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    train: split,
    test: { images: images.subarray(0, size), labels: labels.subarray(0, 1), count: 1 },
  };
}

const indexOf = (images: Uint8Array, k: number) => images[k * 3072]! + 256 * images[k * 3072 + 1]!;

describe('validation split', () => {
  it('CIFAR: official indices 0–4999 validate, 5000–49999 train', () => {
    const { train, validation } = cifarValidationSplit(cifarLike(50000));
    expect(CIFAR_VALIDATION_COUNT).toBe(5000);
    expect(validation.count).toBe(5000);
    expect(train.count).toBe(45000);
    expect(validation.images.length).toBe(5000 * 3072);
    expect(train.images.length).toBe(45000 * 3072);
    expect([indexOf(validation.images, 0), indexOf(validation.images, 4999)]).toEqual([0, 4999]);
    expect([indexOf(train.images, 0), indexOf(train.images, 44999)]).toEqual([5000, 49999]);
    expect([validation.labels[4999], train.labels[0], train.labels[44999]]).toEqual([9, 0, 9]);
  });

  it('generic: the first k images', () => {
    const { train, validation } = holdOutFirst(cifarLike(10), 3);
    expect(Array.from({ length: 3 }, (_, k) => indexOf(validation.images, k))).toEqual([0, 1, 2]);
    expect(Array.from({ length: 7 }, (_, k) => indexOf(train.images, k))).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(() => holdOutFirst(cifarLike(10), 10)).toThrow(RangeError);
  });
});
