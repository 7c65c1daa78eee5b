import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DatasetCacheError, deleteDataset, listDatasets, loadDataset, saveDataset } from './cache';
import { DatasetFormatError } from './format-error';
import type { ImageDataset } from './image-dataset';

let dbCount = 0;
/** A fresh database per test, and a roomy quota unless a test says otherwise. */
const freshOptions = () => ({ dbName: `cache-test-${dbCount++}`, estimate: async () => ({ quota: 1e9, usage: 0 }) });

function tiny(id: string, fill = 7): ImageDataset {
  const image = 4 * 4 * 3;
  return {
    id,
    name: `Tiny ${id}`,
    height: 4,
    width: 4,
    channels: 3,
    numClasses: 2,
    classNames: ['no', 'yes'],
    train: { images: new Uint8Array(3 * image).fill(fill), labels: Int32Array.of(0, 1, 1), count: 3 },
    test: { images: new Uint8Array(image).fill(fill + 1), labels: Int32Array.of(1), count: 1 },
  };
}

/** Counts entries in both stores, read directly, to see what a failed save left. */
async function storeSizes(dbName: string) {
  const db = await openDB(dbName, 1);
  const sizes = { meta: await db.count('meta'), arrays: await db.count('arrays') };
  db.close();
  return sizes;
}

describe('dataset cache', () => {
  it('saves, lists, loads and deletes', async () => {
    const options = freshOptions();
    const before = Date.now();
    await saveDataset(tiny('a'), options);
    const list = await listDatasets(options);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 'a', name: 'Tiny a', sizeBytes: 4 * 48 + 4 * 4, inputShape: [4, 4, 3], trainCount: 3, testCount: 1 });
    expect(list[0]!.choices).toBeUndefined();
    expect(list[0]!.savedAt.getTime()).toBeGreaterThanOrEqual(before);
    const loaded = await loadDataset('a', options);
    expect(loaded).toEqual(tiny('a'));
    expect(loaded!.train.images).toBeInstanceOf(Uint8Array);
    expect(loaded!.train.labels).toBeInstanceOf(Int32Array);
    await deleteDataset('a', options);
    expect(await listDatasets(options)).toEqual([]);
    expect(await loadDataset('a', options)).toBeUndefined();
    expect(await storeSizes(options.dbName)).toEqual({ meta: 0, arrays: 0 });
  });

  it('keeps what an import kept of the published dataset with the entry', async () => {
    const options = freshOptions();
    const choices = { downsample: 2, trainPerClass: 250, testPerClass: null };
    await saveDataset({ ...tiny('t'), choices }, options);
    expect((await listDatasets(options))[0]!.choices).toEqual(choices);
    expect((await loadDataset('t', options))!.choices).toEqual(choices);
  });

  it('replaces an entry with the same id and stores only the bytes a view covers', async () => {
    const options = freshOptions();
    await saveDataset(tiny('a', 1), options);
    const big = new Uint8Array(10_000).fill(9);
    const viewed = { ...tiny('a', 2), test: { images: big.subarray(48, 96), labels: Int32Array.of(0), count: 1 } };
    await saveDataset(viewed, options);
    expect(await listDatasets(options)).toHaveLength(1);
    const loaded = await loadDataset('a', options);
    expect(loaded!.train.images[0]).toBe(2);
    expect(loaded!.test.images.buffer.byteLength).toBe(48);
  });

  it('refuses a dataset that would not fit, before writing anything', async () => {
    const options = { ...freshOptions(), estimate: async () => ({ quota: 1000, usage: 900 }) };
    const error = await saveDataset(tiny('a'), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetCacheError);
    expect((error as Error).message).toMatch(
      /Not enough browser storage to keep Tiny a: it needs 0\.2 kB but only 0\.1 kB is free/,
    );
    expect(await storeSizes(options.dbName)).toEqual({ meta: 0, arrays: 0 });
  });

  it('leaves nothing behind when the save fails half-way, and keeps other entries', async () => {
    const options = freshOptions();
    await saveDataset(tiny('keep'), options);
    // The arrays are written first; a class name that cannot be cloned then fails the metadata write.
    const broken = { ...tiny('bad'), classNames: ['no', (() => 'yes') as unknown as string] };
    const error = await saveDataset(broken, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetCacheError);
    expect((error as Error).message).toMatch(/Could not keep Tiny bad in browser storage.*Nothing was saved/);
    expect(await storeSizes(options.dbName)).toEqual({ meta: 1, arrays: 1 });
    expect(await loadDataset('bad', options)).toBeUndefined();
    expect(await loadDataset('keep', options)).toEqual(tiny('keep'));
  });

  it('refuses an inconsistent dataset with the format error', async () => {
    const options = freshOptions();
    const bad = { ...tiny('x'), test: { images: new Uint8Array(48), labels: Int32Array.of(5), count: 1 } };
    await expect(saveDataset(bad, options)).rejects.toThrow(DatasetFormatError);
    expect(await listDatasets(options)).toEqual([]);
  });

  it('works without a storage estimate', async () => {
    const options = { dbName: `cache-test-${dbCount++}` };
    await saveDataset(tiny('a'), options);
    expect((await listDatasets(options)).map((d) => d.id)).toEqual(['a']);
  });
});
