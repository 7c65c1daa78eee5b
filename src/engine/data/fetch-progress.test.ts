import { describe, expect, it } from 'vitest';
import { DownloadError, fetchWithProgress, type FetchFunction } from './fetch-progress';

/** A body that yields the chunks one per read, and fails instead of giving chunk `failAt` if set. */
function body(chunks: Uint8Array[], failAt?: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i === failAt) controller.error(new TypeError('socket hang up'));
      else if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}

const serve =
  (response: () => Response): FetchFunction =>
  async () =>
    response();

const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5]), new Uint8Array([6])];

describe('fetchWithProgress', () => {
  it('returns the bytes and reports received against Content-Length', async () => {
    const seen: [number, number | null][] = [];
    const fetch = serve(() => new Response(body(chunks), { headers: { 'content-length': '6' } }));
    const bytes = await fetchWithProgress('/f.bin', { fetch, onProgress: (r, t) => seen.push([r, t]) });
    expect(Array.from(bytes)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen).toEqual([
      [0, 6],
      [3, 6],
      [5, 6],
      [6, 6],
    ]);
  });

  it('reports an unknown total as null', async () => {
    const seen: (number | null)[] = [];
    await fetchWithProgress('/f', {
      fetch: serve(() => new Response(body(chunks))),
      onProgress: (_r, t) => seen.push(t),
    });
    expect(new Set(seen)).toEqual(new Set([null]));
  });

  it('names the HTTP status', async () => {
    const fetch = serve(() => new Response('nope', { status: 404, statusText: 'Not Found' }));
    const error = await fetchWithProgress('/datasets/mnist/x.gz', { fetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).status).toBe(404);
    expect((error as Error).message).toBe(
      'Could not download /datasets/mnist/x.gz: HTTP 404 Not Found (the file is not on the server).',
    );
    await expect(fetchWithProgress('/y', { fetch: serve(() => new Response('', { status: 503 })) })).rejects.toThrow(
      /HTTP 503/,
    );
  });

  it('names a network failure', async () => {
    const fetch: FetchFunction = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(fetchWithProgress('/z', { fetch })).rejects.toThrow(
      /Could not download \/z: network error \(Failed to fetch\)/,
    );
  });

  it('names an interrupted or short transfer', async () => {
    const broken = serve(() => new Response(body(chunks, 2), { headers: { 'content-length': '6' } }));
    await expect(fetchWithProgress('/b', { fetch: broken })).rejects.toThrow(
      /Download of \/b was interrupted after 5 of 6 bytes/,
    );
    const short = serve(() => new Response(body(chunks.slice(0, 1)), { headers: { 'content-length': '6' } }));
    await expect(fetchWithProgress('/s', { fetch: short })).rejects.toThrow(/incomplete: received 3 of 6 bytes/);
  });

  it('lets an abort through as an abort', async () => {
    const controller = new AbortController();
    controller.abort();
    const fetch: FetchFunction = async (_url, init) => {
      init?.signal?.throwIfAborted();
      return new Response('');
    };
    await expect(fetchWithProgress('/a', { fetch, signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
