import {
  BUNDLED_DATASETS,
  BUNDLED_FILE_WEIGHTS,
  BUNDLED_FILES,
  type BundledDatasetId,
  type BundledFileRole,
} from './bundled-catalog';
import { fetchWithProgress, type FetchFunction } from './fetch-progress';
import { idxDataset, type IdxDatasetFiles } from './formats/idx';
import type { ImageDataset } from './image-dataset';
import type { ProgressCallback } from './progress';

export interface BundledLoadOptions {
  /** The app's base URL (Vite's BASE_URL), relative or absolute; the files sit under `<base>datasets/<id>/`. */
  baseUrl: string;
  fetch: FetchFunction;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** Share of the progress bar spent downloading; the rest is decompressing and parsing. */
const DOWNLOAD_SHARE = 0.8;

export function bundledFileUrl(baseUrl: string, id: BundledDatasetId, role: BundledFileRole): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return `${base}${BUNDLED_DATASETS[id].folder}/${BUNDLED_FILES[role]}`;
}

/** Downloads the four gzipped IDX files of a shipped dataset and parses them. */
export async function loadBundledDataset(id: BundledDatasetId, options: BundledLoadOptions): Promise<ImageDataset> {
  const { baseUrl, fetch, onProgress, signal } = options;
  const meta = BUNDLED_DATASETS[id];
  const roles = Object.keys(BUNDLED_FILES) as BundledFileRole[];
  const files: Partial<Record<BundledFileRole, { name: string; data: Uint8Array }>> = {};
  let done = 0;
  for (const role of roles) {
    const weight = BUNDLED_FILE_WEIGHTS[role];
    const data = await fetchWithProgress(bundledFileUrl(baseUrl, id, role), {
      fetch,
      signal,
      onProgress: (received, total) => {
        const part = total ? Math.min(1, received / total) : 0;
        const size = total
          ? `${(received / 1e6).toFixed(1)} / ${(total / 1e6).toFixed(1)} MB`
          : `${(received / 1e6).toFixed(1)} MB`;
        onProgress?.(DOWNLOAD_SHARE * (done + weight * part), `Downloading ${meta.name}: ${size}`);
      },
    });
    done += weight;
    files[role] = { name: BUNDLED_FILES[role], data };
  }
  return idxDataset(
    { id, name: meta.name, classNames: meta.classNames },
    files as IdxDatasetFiles,
    (fraction, message) => onProgress?.(DOWNLOAD_SHARE + (1 - DOWNLOAD_SHARE) * fraction, message),
  );
}
