import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { datasetByteSize, validateImageDataset, type ImageDataset, type ImportChoices } from './image-dataset';

/**
 * Imported datasets kept in IndexedDB, so a user converts CIFAR or TinyImageNet
 * once and reloads it in seconds. Metadata and arrays live in separate stores
 * so listing never reads hundreds of formatSize; both are always written in one
 * transaction, so a failed save leaves no half of an entry behind.
 */
export class DatasetCacheError extends Error {
  override readonly name = 'DatasetCacheError';
}

export interface CachedDatasetInfo {
  readonly id: string;
  readonly name: string;
  readonly sizeBytes: number;
  readonly savedAt: Date;
  /** One image's [height, width, channels]: a downsampled import is smaller than its catalog entry. */
  readonly inputShape: readonly [number, number, number];
  readonly trainCount: number;
  readonly testCount: number;
  /** What the import kept of the published dataset, when it kept only part. */
  readonly choices?: ImportChoices;
}

interface StoredMeta {
  id: string;
  name: string;
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  classNames: string[];
  trainCount: number;
  testCount: number;
  sizeBytes: number;
  savedAt: number;
  choices?: ImportChoices;
}

interface StoredArrays {
  id: string;
  trainImages: Uint8Array;
  trainLabels: Int32Array;
  testImages: Uint8Array;
  testLabels: Int32Array;
}

interface CacheSchema extends DBSchema {
  meta: { key: string; value: StoredMeta };
  arrays: { key: string; value: StoredArrays };
}

export interface CacheOptions {
  /** Database name; tests use their own. */
  dbName?: string;
  /** Storage estimate; defaults to `navigator.storage.estimate` where it exists. */
  estimate?: () => Promise<{ quota?: number; usage?: number }>;
}

const DEFAULT_DB = 'tost-lab-datasets';

function open(options: CacheOptions): Promise<IDBPDatabase<CacheSchema>> {
  return openDB<CacheSchema>(options.dbName ?? DEFAULT_DB, 1, {
    upgrade(db) {
      db.createObjectStore('meta', { keyPath: 'id' });
      db.createObjectStore('arrays', { keyPath: 'id' });
    },
  });
}

function defaultEstimate(): CacheOptions['estimate'] {
  const storage = (globalThis as { navigator?: { storage?: { estimate?: () => Promise<StorageEstimate> } } }).navigator
    ?.storage;
  return storage?.estimate ? () => storage.estimate!() : undefined;
}

/** Structured clone copies a view's whole buffer; store exactly the bytes in view. */
function exact<T extends Uint8Array | Int32Array>(array: T): T {
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength ? array : (array.slice() as T);
}

const formatSize = (bytes: number) =>
  bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;

export async function saveDataset(dataset: ImageDataset, options: CacheOptions = {}): Promise<void> {
  validateImageDataset(dataset);
  const sizeBytes = datasetByteSize(dataset);
  const db = await open(options);
  try {
    const estimate = options.estimate ?? defaultEstimate();
    if (estimate) {
      const { quota, usage = 0 } = await estimate();
      // Replacing an entry frees its space.
      const replaced = (await db.get('meta', dataset.id))?.sizeBytes ?? 0;
      if (quota !== undefined && sizeBytes > quota - usage + replaced) {
        throw new DatasetCacheError(
          `Not enough browser storage to keep ${dataset.name}: it needs ${formatSize(sizeBytes)} but only ` +
            `${formatSize(Math.max(0, quota - usage + replaced))} is free. Delete a cached dataset or free up disk space.`,
        );
      }
    }
    const tx = db.transaction(['meta', 'arrays'], 'readwrite');
    // Rejects when aborted below; the error that caused it is the one reported.
    const done = tx.done.catch(() => undefined);
    try {
      await tx.objectStore('arrays').put({
        id: dataset.id,
        trainImages: exact(dataset.train.images),
        trainLabels: exact(dataset.train.labels),
        testImages: exact(dataset.test.images),
        testLabels: exact(dataset.test.labels),
      });
      await tx.objectStore('meta').put({
        id: dataset.id,
        name: dataset.name,
        height: dataset.height,
        width: dataset.width,
        channels: dataset.channels,
        numClasses: dataset.numClasses,
        classNames: [...dataset.classNames],
        trainCount: dataset.train.count,
        testCount: dataset.test.count,
        sizeBytes,
        savedAt: Date.now(),
        ...(dataset.choices ? { choices: { ...dataset.choices } } : {}),
      });
      await tx.done;
    } catch (error) {
      // An exception thrown by put() itself (e.g. a value that cannot be cloned)
      // does not abort the transaction: without this the arrays would be kept.
      try {
        tx.abort();
      } catch {
        // Already aborted or finished.
      }
      await done;
      const quota = error instanceof Error && error.name === 'QuotaExceededError';
      throw new DatasetCacheError(
        quota
          ? `Not enough browser storage to keep ${dataset.name} (${formatSize(sizeBytes)}). Nothing was saved.`
          : `Could not keep ${dataset.name} in browser storage (${error instanceof Error ? error.message : String(error)}). Nothing was saved.`,
        { cause: error },
      );
    }
  } finally {
    db.close();
  }
}

export async function listDatasets(options: CacheOptions = {}): Promise<CachedDatasetInfo[]> {
  const db = await open(options);
  try {
    const all = await db.getAll('meta');
    return all
      .map(({ id, name, sizeBytes, savedAt, height, width, channels, trainCount, testCount, choices }) => ({
        id,
        name,
        sizeBytes,
        savedAt: new Date(savedAt),
        inputShape: [height, width, channels] as const,
        trainCount,
        testCount,
        ...(choices ? { choices } : {}),
      }))
      .sort((a, b) => b.savedAt.getTime() - a.savedAt.getTime());
  } finally {
    db.close();
  }
}

/** The cached dataset, or undefined if there is none under that id. */
export async function loadDataset(id: string, options: CacheOptions = {}): Promise<ImageDataset | undefined> {
  const db = await open(options);
  try {
    const tx = db.transaction(['meta', 'arrays'], 'readonly');
    const [meta, arrays] = await Promise.all([
      tx.objectStore('meta').get(id),
      tx.objectStore('arrays').get(id),
      tx.done,
    ]);
    if (!meta || !arrays) return undefined;
    return validateImageDataset({
      id: meta.id,
      name: meta.name,
      height: meta.height,
      width: meta.width,
      channels: meta.channels,
      numClasses: meta.numClasses,
      classNames: meta.classNames,
      train: { images: arrays.trainImages, labels: arrays.trainLabels, count: meta.trainCount },
      test: { images: arrays.testImages, labels: arrays.testLabels, count: meta.testCount },
      ...(meta.choices ? { choices: meta.choices } : {}),
    });
  } finally {
    db.close();
  }
}

export async function deleteDataset(id: string, options: CacheOptions = {}): Promise<void> {
  const db = await open(options);
  try {
    const tx = db.transaction(['meta', 'arrays'], 'readwrite');
    await Promise.all([tx.objectStore('meta').delete(id), tx.objectStore('arrays').delete(id), tx.done]);
  } finally {
    db.close();
  }
}
