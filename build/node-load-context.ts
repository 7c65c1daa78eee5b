import type { FetchFunction } from '../src/engine/data/fetch-progress';
import type { LoadContext } from '../src/engine/data/registry';
import { datasetAssets } from './dataset-assets';

let emitted: Map<string, Uint8Array> | null = null;

/** The files a build would ship (MNIST and Fashion-MNIST), produced once per process. */
function shippedAssets(): Map<string, Uint8Array> {
  if (emitted) return emitted;
  const files = new Map<string, Uint8Array>();
  const plugin = datasetAssets();
  const context = { emitFile: (file: { fileName: string; source: Uint8Array }) => files.set(file.fileName, file.source), warn: () => undefined };
  (plugin.generateBundle as unknown as (this: typeof context) => void).call(context);
  emitted = files;
  return files;
}

/**
 * A LoadContext for Node (tests, CLI, benchmarks): serves the shipped dataset
 * files under base "/" straight from their sources, and answers 404 for
 * anything else, as the closed network would.
 */
export function nodeLoadContext(onProgress?: LoadContext['onProgress']): LoadContext {
  const fetch: FetchFunction = async (url) => {
    const bytes = shippedAssets().get(url.replace(/^\//, ''));
    return bytes
      ? new Response(new Uint8Array(bytes), { headers: { 'content-length': String(bytes.length) } })
      : new Response('not found', { status: 404, statusText: 'Not Found' });
  };
  return { fetch, baseUrl: '/', onProgress };
}
