import { listDatasets, saveDataset, type CacheOptions, type CachedDatasetInfo } from './cache';
import { DATASETS } from './catalog';
import { fetchWithProgress, type FetchFunction } from './fetch-progress';
import { DatasetFormatError } from './format-error';
import { parseCifar, type CifarVariant } from './formats/cifar';
import { baseName, type NamedFile } from './formats/named-file';
import { parseTinyImageNet } from './formats/tiny-imagenet';
import type { ImageDataset } from './image-dataset';
import type { ImportSettings } from './import-settings';
import { subProgress, type ProgressCallback } from './progress';

/**
 * Datasets the user brings, by file or URL: the official CIFAR binary
 * archives (or their .bin files) and tiny-imagenet-200.zip.
 */
export type ImportableId = CifarVariant | 'tiny-imagenet';

export type { ImportSettings } from './import-settings';

export type ImportSource = { readonly files: readonly File[] } | { readonly url: string };

export interface ImportOptions {
  readonly fetch: FetchFunction;
  readonly cache?: CacheOptions;
  readonly onProgress?: ProgressCallback;
}

async function readSource(source: ImportSource, fetch: FetchFunction, onProgress?: ProgressCallback): Promise<NamedFile[]> {
  if ('files' in source) {
    onProgress?.(0, `Reading ${source.files.map((f) => f.name).join(', ')}`);
    return Promise.all(source.files.map(async (file) => ({ name: file.name, data: new Uint8Array(await file.arrayBuffer()) })));
  }
  let url: URL;
  try {
    url = new URL(source.url);
  } catch {
    throw new Error(`"${source.url}" is not a web address.`);
  }
  const name = baseName(url.pathname) || 'download';
  const data = await fetchWithProgress(url.href, {
    fetch,
    onProgress: (received, total) =>
      onProgress?.(total ? received / total : 0, `Downloading ${name}: ${(received / 1e6).toFixed(1)}${total ? ` / ${(total / 1e6).toFixed(1)}` : ''} MB`),
  });
  return [{ name, data }];
}

async function parse(id: ImportableId, files: NamedFile[], settings: ImportSettings, onProgress?: ProgressCallback): Promise<ImageDataset> {
  if (id !== 'tiny-imagenet') return parseCifar(id, files, onProgress);
  if (files.length !== 1) {
    throw new DatasetFormatError(`TinyImageNet comes as one file, tiny-imagenet-200.zip; ${files.length} files were given.`);
  }
  const image = await parseTinyImageNet(files[0]!, {
    downsample: settings.downsample ?? 1,
    maxTrainPerClass: settings.trainPerClass ?? Infinity,
    onProgress,
  });
  const classes = DATASETS.find((d) => d.id === id)!.classes;
  if (image.numClasses !== classes) {
    throw new DatasetFormatError(`${files[0]!.name} lists ${image.numClasses} classes in wnids.txt; TinyImageNet has ${classes}.`);
  }
  return image;
}

/**
 * Reads, parses and validates a dataset, then caches it in IndexedDB in one
 * transaction: a bad or cut-off file, a wrong archive or a full quota throws a
 * message naming the problem, and nothing partial is kept (an earlier import
 * under the same id stays until a new one has been read whole).
 */
export async function importDataset(
  id: ImportableId,
  source: ImportSource,
  options: ImportOptions,
  settings: ImportSettings = {},
): Promise<CachedDatasetInfo> {
  const files = await readSource(source, options.fetch, subProgress(options.onProgress, 0, 0.3));
  const image = await parse(id, files, settings, subProgress(options.onProgress, 0.3, 0.9));
  options.onProgress?.(0.9, `Saving ${image.name} in this browser`);
  await saveDataset(image, options.cache);
  options.onProgress?.(1, `${image.name} is ready`);
  const info = (await listDatasets(options.cache)).find((entry) => entry.id === image.id);
  if (!info) throw new Error(`${image.name} was saved but cannot be listed`);
  return info;
}
