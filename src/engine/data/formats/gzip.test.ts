import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../train/rng';
import { DatasetFormatError } from '../format-error';
import { crc32 } from './crc32';
import { gunzip, gunzipStream, isGzip } from './gzip';

// Incompressible, so the gzip file spans several 1 MiB input slices and progress has more than one step.
const rng = new Rng(1);
const raw = Uint8Array.from({ length: 3_000_000 }, () => rng.int(256));
const packed = gzipSync(raw, { level: 1 });

/** toEqual walks typed arrays element by element, which takes seconds at this size. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return Buffer.concat(chunks);
}

describe('gzip', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const text = new TextEncoder().encode('hello world');
    expect(crc32(text.subarray(5), crc32(text.subarray(0, 5)))).toBe(crc32(text));
  });

  it('recognises gzip by its magic bytes', () => {
    expect(isGzip(packed)).toBe(true);
    expect(isGzip(raw)).toBe(false);
    expect(isGzip(new Uint8Array(1))).toBe(false);
  });

  it('round-trips and reports progress up to 1', () => {
    const fractions: number[] = [];
    expect(sameBytes(gunzip(packed, { fileName: 'x.gz', onProgress: (f) => fractions.push(f) }), raw)).toBe(true);
    expect(fractions.length).toBeGreaterThan(1);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('streams the same bytes', async () => {
    expect(sameBytes(await drain(gunzipStream(packed, { fileName: 'x.gz' })), raw)).toBe(true);
  });

  it('names a truncated file', () => {
    expect(() => gunzip(packed.subarray(0, packed.length >> 1), { fileName: 'a.gz' })).toThrow(/a\.gz is truncated/);
  });

  it('names a file that is not gzip', () => {
    expect(() => gunzip(raw, { fileName: 'b.bin' })).toThrow(/b\.bin is not a gzip file/);
  });

  it('catches corruption that inflates without error, by the checksum', () => {
    // Stored (level 0) blocks inflate whatever their bytes are; only the CRC can tell.
    const stored = gzipSync(raw.subarray(0, 5000), { level: 0 });
    const bad = stored.slice();
    bad[100] = bad[100]! ^ 0x01;
    expect(() => gunzip(bad, { fileName: 'c.gz' })).toThrow(/c\.gz is corrupt.*checksum/);
    // Losing the last bytes of the trailer alone is caught too.
    expect(() => gunzip(stored.subarray(0, stored.length - 2), { fileName: 'c.gz' })).toThrow(DatasetFormatError);
  });

  it('names corrupt compressed data', () => {
    const text = new TextEncoder().encode('the quick brown fox jumps over the lazy dog '.repeat(2000));
    const bad = gzipSync(text).slice();
    for (let i = 20; i < 60; i++) bad[i] = bad[i]! ^ 0xa5;
    expect(() => gunzip(bad, { fileName: 'd.gz' })).toThrow(/d\.gz is corrupt: its gzip data cannot be decompressed/);
  });

  it('errors the stream on truncation', async () => {
    await expect(drain(gunzipStream(packed.subarray(0, 3000), { fileName: 'e.gz' }))).rejects.toThrow(
      /e\.gz is truncated/,
    );
  });

  it('never accepts a cut-off file, wherever the cut falls', () => {
    const data = Uint8Array.from({ length: 200_000 }, (_, i) => ((i * 7919) % 251) ^ (i >> 9));
    const packed = gzipSync(data);
    for (let cut = 18; cut < packed.length; cut += Math.max(1, Math.floor(packed.length / 300))) {
      expect(() => gunzip(packed.subarray(0, cut), { fileName: 'cut.gz' })).toThrow(/cut\.gz is (truncated|corrupt or incomplete)/);
    }
  });
});
