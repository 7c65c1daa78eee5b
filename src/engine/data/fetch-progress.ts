/**
 * Downloads a whole file while reporting bytes received, with errors that say
 * what went wrong (network, HTTP status, cut-off transfer) in the user's terms.
 * The fetch function is passed in so tests and the worker can supply their own.
 */
export type FetchFunction = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export class DownloadError extends Error {
  override readonly name = 'DownloadError';

  constructor(
    message: string,
    readonly url: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface FetchProgressOptions {
  fetch: FetchFunction;
  /** Called as bytes arrive; `total` is the announced length, or null when the server did not send one. */
  onProgress?: (received: number, total: number | null) => void;
  signal?: AbortSignal;
}

const isAbort = (error: unknown) => error instanceof Error && error.name === 'AbortError';

function announcedLength(response: Response): number | null {
  // With a content encoding, Content-Length counts compressed bytes but the body yields decoded ones.
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding !== 'identity') return null;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  return Number.isSafeInteger(length) && length >= 0 ? length : null;
}

export async function fetchWithProgress(url: string, options: FetchProgressOptions): Promise<Uint8Array> {
  const { fetch, onProgress, signal } = options;
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (isAbort(error)) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new DownloadError(
      `Could not download ${url}: network error (${detail}). Check the connection and try again.`,
      url,
      undefined,
      {
        cause: error,
      },
    );
  }
  if (!response.ok) {
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    const hint = response.status === 404 ? ' (the file is not on the server)' : '';
    throw new DownloadError(`Could not download ${url}: ${status}${hint}.`, url, response.status);
  }
  const total = announcedLength(response);
  onProgress?.(0, total);
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, total);
    return bytes;
  }

  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      chunks.push(next.value);
      received += next.value.length;
      onProgress?.(received, total);
    }
  } catch (error) {
    if (isAbort(error)) throw error;
    const of = total === null ? '' : ` of ${total}`;
    throw new DownloadError(`Download of ${url} was interrupted after ${received}${of} bytes.`, url, response.status, {
      cause: error,
    });
  }
  if (total !== null && received < total) {
    throw new DownloadError(
      `Download of ${url} is incomplete: received ${received} of ${total} bytes.`,
      url,
      response.status,
    );
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
