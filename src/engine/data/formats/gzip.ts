import { Gunzip } from 'fflate';
import { DatasetFormatError } from '../format-error';
import type { ProgressCallback } from '../progress';
import { crc32 } from './crc32';

/** Input is fed to the decompressor in slices of this size so progress can be reported between them. */
const SLICE = 1 << 20;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface GunzipOptions {
  /** Named in error messages, e.g. `train-images-idx3-ubyte.gz`. */
  fileName: string;
  onProgress?: ProgressCallback;
}

function explain(error: unknown, fileName: string): DatasetFormatError {
  if (error instanceof DatasetFormatError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message === 'unexpected EOF') {
    return new DatasetFormatError(
      `${fileName} is truncated: the compressed data ends too early (incomplete download?).`,
      {
        cause: error,
      },
    );
  }
  if (message === 'invalid gzip data') {
    return new DatasetFormatError(`${fileName} is not a gzip file.`, { cause: error });
  }
  return new DatasetFormatError(`${fileName} is corrupt: its gzip data cannot be decompressed (${message}).`, {
    cause: error,
  });
}

/**
 * Steps a gzip decompression one input slice at a time, handing each output
 * chunk to `emit`, and checks the trailer (CRC-32 and length) at the end.
 * Assumes a single gzip member, which is what every dataset archive is.
 */
function createInflater(bytes: Uint8Array, options: GunzipOptions, emit: (chunk: Uint8Array) => void) {
  const { fileName, onProgress } = options;
  if (!isGzip(bytes)) {
    throw new DatasetFormatError(`${fileName} is not a gzip file (it does not start with the gzip signature).`);
  }
  if (bytes.length < 18) throw new DatasetFormatError(`${fileName} is truncated: too short to be a gzip file.`);
  let crc = 0;
  let size = 0;
  let offset = 0;
  const gunzip = new Gunzip((chunk) => {
    crc = crc32(chunk, crc);
    size += chunk.length;
    emit(chunk);
  });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expectedCrc = view.getUint32(bytes.length - 8, true);
  const expectedSize = view.getUint32(bytes.length - 4, true);
  return {
    /** The uncompressed length modulo 2^32, as the trailer claims it. */
    expectedSize,
    get done() {
      return offset >= bytes.length;
    },
    step(): void {
      const end = Math.min(offset + SLICE, bytes.length);
      try {
        gunzip.push(bytes.subarray(offset, end), end === bytes.length);
      } catch (error) {
        throw explain(error, fileName);
      }
      offset = end;
      onProgress?.(offset / bytes.length, `Decompressing ${fileName}`);
      if (end === bytes.length && (crc !== expectedCrc || size % 2 ** 32 !== expectedSize)) {
        // A download cut at some points decodes "cleanly" to the wrong data, so the checksum cannot tell a cut from damage.
        throw new DatasetFormatError(
          `${fileName} is corrupt or incomplete: the decompressed data fails the gzip checksum (an interrupted download looks like this too).`,
        );
      }
    },
  };
}

/** Decompresses a whole gzip file into one array. */
export function gunzip(bytes: Uint8Array, options: GunzipOptions): Uint8Array {
  const chunks: Uint8Array[] = [];
  const inflater = createInflater(bytes, options, (chunk) => chunks.push(chunk));
  while (!inflater.done) inflater.step();
  if (chunks.length === 1) return chunks[0]!;
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Decompresses lazily as the reader pulls, so an archive's members can be
 * consumed (and the decompressed archive never held whole) as they appear.
 */
export function gunzipStream(bytes: Uint8Array, options: GunzipOptions): ReadableStream<Uint8Array> {
  let inflater: ReturnType<typeof createInflater>;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      inflater = createInflater(bytes, options, (chunk) => controller.enqueue(chunk));
    },
    pull(controller) {
      inflater.step();
      if (inflater.done) controller.close();
    },
  });
}
