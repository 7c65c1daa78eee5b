import { datasetAssets } from '../../../build/dataset-assets';
import type { FetchFunction } from './fetch-progress';
import type { LoadContext } from './registry';

let emitted: Map<string, Uint8Array> | null = null;

/** The files the build would ship (MNIST, and Fashion-MNIST where Debian's package is installed), produced once per test file. */
function shippedAssets(): Map<string, Uint8Array> {
  if (emitted) return emitted;
  const files = new Map<string, Uint8Array>();
  const plugin = datasetAssets();
  const context = { emitFile: (file: { fileName: string; source: Uint8Array }) => files.set(file.fileName, file.source), warn: () => undefined };
  (plugin.generateBundle as unknown as (this: typeof context) => void).call(context);
  emitted = files;
  return files;
}

/** A LoadContext for Node tests: serves the shipped files under base "/" and fails for anything else, as the closed network would. */
export function testLoadContext(): LoadContext {
  const fetch: FetchFunction = async (url) => {
    const bytes = shippedAssets().get(url.replace(/^\//, ''));
    return bytes
      ? new Response(new Uint8Array(bytes), { headers: { 'content-length': String(bytes.length) } })
      : new Response('not found', { status: 404, statusText: 'Not Found' });
  };
  return { fetch, baseUrl: '/' };
}
