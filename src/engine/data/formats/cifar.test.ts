import { gzipSync } from 'fflate';
import { packTar, type TarEntry } from 'modern-tar';
import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from '../format-error';
import { parseCifar } from './cifar';
import type { NamedFile } from './named-file';

const PIXELS = 1024;
const RECORDS = 3;

/** Known value of plane `c`, pixel `p` of record `r` in batch `b`. */
const value = (b: number, r: number, c: number, p: number) => (b * 31 + r * 7 + c * 50 + p) % 256;

/** Records in the official layout: label byte(s), then the R, G and B planes. */
function batch(b: number, labelBytes: (r: number) => number[]): Uint8Array {
  const prefix = labelBytes(0).length;
  const size = prefix + 3 * PIXELS;
  const out = new Uint8Array(RECORDS * size);
  for (let r = 0; r < RECORDS; r++) {
    out.set(labelBytes(r), r * size);
    for (let c = 0; c < 3; c++)
      for (let p = 0; p < PIXELS; p++) out[r * size + prefix + c * PIXELS + p] = value(b, r, c, p);
  }
  return out;
}

const cifar10Label = (b: number, r: number) => (b * RECORDS + r) % 10;
const cifar10Names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

function cifar10Members(): Record<string, Uint8Array> {
  const members: Record<string, Uint8Array> = {};
  for (let b = 1; b <= 5; b++)
    members[`cifar-10-batches-bin/data_batch_${b}.bin`] = batch(b, (r) => [cifar10Label(b, r)]);
  members['cifar-10-batches-bin/test_batch.bin'] = batch(6, (r) => [cifar10Label(6, r)]);
  // The real file ends with blank lines.
  members['cifar-10-batches-bin/batches.meta.txt'] = new TextEncoder().encode(cifar10Names.join('\n') + '\n\n');
  return members;
}

const cifar100Fine = (b: number, r: number) => 40 + b * 10 + r;
const cifar100Coarse = (r: number) => 19 - r;

function cifar100Members(): Record<string, Uint8Array> {
  const names = Array.from({ length: 100 }, (_, i) => `fine_${i}`);
  return {
    'cifar-100-binary/train.bin': batch(1, (r) => [cifar100Coarse(r), cifar100Fine(1, r)]),
    'cifar-100-binary/test.bin': batch(2, (r) => [cifar100Coarse(r), cifar100Fine(2, r)]),
    'cifar-100-binary/fine_label_names.txt': new TextEncoder().encode(names.join('\n') + '\n'),
    'cifar-100-binary/coarse_label_names.txt': new TextEncoder().encode('coarse\n'.repeat(20)),
  };
}

async function tar(members: Record<string, Uint8Array>): Promise<Uint8Array> {
  const folders = [...new Set(Object.keys(members).map((name) => name.split('/')[0]!))];
  const entries: TarEntry[] = [
    ...folders.map((name): TarEntry => ({ header: { name: `${name}/`, type: 'directory', size: 0 } })),
    ...Object.entries(members).map(([name, body]): TarEntry => ({
      header: { name, size: body.length, type: 'file' },
      body,
    })),
  ];
  return packTar(entries);
}

const tgz = async (members: Record<string, Uint8Array>) => gzipSync(await tar(members));

/** Expected HWC image of record r of batch b. */
function expectedImage(b: number, r: number): Uint8Array {
  const out = new Uint8Array(3 * PIXELS);
  for (let p = 0; p < PIXELS; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = value(b, r, c, p);
  return out;
}

const image = (images: Uint8Array, i: number) => images.subarray(i * 3 * PIXELS, (i + 1) * 3 * PIXELS);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

describe('CIFAR-10', () => {
  it('reads the archive: shapes, labels, names, exact pixels in HWC', async () => {
    const fractions: number[] = [];
    const archive = { name: 'cifar-10-binary.tar.gz', data: await tgz(cifar10Members()) };
    const data = await parseCifar('cifar10', [archive], (f) => fractions.push(f));
    expect(data).toMatchObject({
      id: 'cifar10',
      height: 32,
      width: 32,
      channels: 3,
      numClasses: 10,
      classNames: cifar10Names,
    });
    expect(data.train.count).toBe(5 * RECORDS);
    expect(data.test.count).toBe(RECORDS);
    expect(data.train.images.length).toBe(5 * RECORDS * 3072);
    // Batches in order 1..5, records in file order.
    expect(Array.from(data.train.labels)).toEqual(
      [1, 2, 3, 4, 5].flatMap((b) => [0, 1, 2].map((r) => cifar10Label(b, r))),
    );
    expect(Array.from(data.test.labels)).toEqual([0, 1, 2].map((r) => cifar10Label(6, r)));
    for (let b = 1; b <= 5; b++) {
      for (let r = 0; r < RECORDS; r++)
        expect(same(image(data.train.images, (b - 1) * RECORDS + r), expectedImage(b, r))).toBe(true);
    }
    expect(same(image(data.test.images, 2), expectedImage(6, 2))).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('moves the channel planes to the last axis (one pixel by hand)', async () => {
    const data = await parseCifar('cifar10', [{ name: 'c.tar.gz', data: await tgz(cifar10Members()) }]);
    // Row 1, column 2 of test record 1: plane offset p = 1*32 + 2; HWC offset (p*3 + c).
    const p = 34;
    const test1 = image(data.test.images, 1);
    expect([test1[p * 3], test1[p * 3 + 1], test1[p * 3 + 2]]).toEqual([
      value(6, 1, 0, p),
      value(6, 1, 1, p),
      value(6, 1, 2, p),
    ]);
    expect(test1[p * 3 + 1]).toBe((6 * 31 + 7 + 50 + 34) % 256);
  });

  it('accepts the extracted .bin files and a plain .tar the same way', async () => {
    const members = cifar10Members();
    const fromArchive = await parseCifar('cifar10', [{ name: 'a.tar.gz', data: await tgz(members) }]);
    const files: NamedFile[] = Object.entries(members).map(([name, data]) => ({ name: name.split('/')[1]!, data }));
    const fromFiles = await parseCifar('cifar10', files);
    const fromTar = await parseCifar('cifar10', [{ name: 'a.tar', data: await tar(members) }]);
    for (const other of [fromFiles, fromTar]) {
      expect(same(other.train.images, fromArchive.train.images)).toBe(true);
      expect(other.test.labels).toEqual(fromArchive.test.labels);
      expect(other.classNames).toEqual(fromArchive.classNames);
    }
    // Without the names file, the standard names are used.
    const noNames = files.filter((f) => !f.name.endsWith('.txt'));
    expect((await parseCifar('cifar10', noNames)).classNames).toEqual(cifar10Names);
  });
});

describe('CIFAR-100', () => {
  it('uses the fine label, 100 classes, and the fine names', async () => {
    const data = await parseCifar('cifar100', [
      { name: 'cifar-100-binary.tar.gz', data: await tgz(cifar100Members()) },
    ]);
    expect(data).toMatchObject({ id: 'cifar100', numClasses: 100, channels: 3 });
    expect(data.classNames[57]).toBe('fine_57');
    expect(Array.from(data.train.labels)).toEqual([50, 51, 52]);
    expect(Array.from(data.test.labels)).toEqual([60, 61, 62]);
    expect(same(image(data.train.images, 1), expectedImage(1, 1))).toBe(true);
    expect(same(image(data.test.images, 0), expectedImage(2, 0))).toBe(true);
  });
});

describe('bad CIFAR input', () => {
  const message = async (variant: 'cifar10' | 'cifar100', files: NamedFile[]) => {
    const error = await parseCifar(variant, files).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetFormatError);
    return (error as Error).message;
  };

  it('truncated archive', async () => {
    const full = await tgz(cifar10Members());
    // Depending on where the cut falls, gzip either runs out of data or decodes to bytes that fail its checksum.
    expect(await message('cifar10', [{ name: 'c.tar.gz', data: full.subarray(0, full.length >> 1) }])).toMatch(
      /c\.tar\.gz is (truncated|corrupt or incomplete)/,
    );
    // The gzip layer intact but the tar inside cut in the middle of a member.
    const cut = await tar(cifar10Members());
    expect(await message('cifar10', [{ name: 'c.tar.gz', data: gzipSync(cut.subarray(0, 20_000)) }])).toMatch(
      /c\.tar\.gz is truncated: the archive ends in the middle of a file/,
    );
  });

  it('corrupt gzip', async () => {
    const bad = (await tgz(cifar10Members())).slice();
    for (let i = 100; i < 140; i++) bad[i] = bad[i]! ^ 0x5a;
    expect(await message('cifar10', [{ name: 'c.tar.gz', data: bad }])).toMatch(/c\.tar\.gz is corrupt/);
  });

  it('missing member', async () => {
    const members = cifar10Members();
    delete members['cifar-10-batches-bin/data_batch_3.bin'];
    expect(await message('cifar10', [{ name: 'c.tar.gz', data: await tgz(members) }])).toMatch(
      /Missing cifar-10-batches-bin\/data_batch_3\.bin in c\.tar\.gz/,
    );
    expect(
      await message('cifar10', [{ name: 'test_batch.bin', data: members['cifar-10-batches-bin/test_batch.bin']! }]),
    ).toMatch(/Missing cifar-10-batches-bin\/data_batch_1\.bin in the chosen files/);
  });

  it('wrong file: the other CIFAR, the Python version, not an archive', async () => {
    expect(await message('cifar10', [{ name: 'x.tar.gz', data: await tgz(cifar100Members()) }])).toMatch(
      /does not contain the CIFAR-10 files\. It looks like the CIFAR-100 archive/,
    );
    expect(await message('cifar100', [{ name: 'x.tar.gz', data: await tgz(cifar10Members()) }])).toMatch(
      /It looks like the CIFAR-10 archive; choose cifar-100-binary\.tar\.gz/,
    );
    const python = { 'cifar-10-batches-py/data_batch_1': new Uint8Array(10) };
    expect(await message('cifar10', [{ name: 'cifar-10-python.tar.gz', data: await tgz(python) }])).toMatch(
      /Python version/,
    );
    expect(
      await message('cifar10', [
        { name: 'notes.tar.gz', data: gzipSync(new TextEncoder().encode('not a tar '.repeat(200))) },
      ]),
    ).toMatch(/notes\.tar\.gz is not a valid tar archive/);
  });

  it('label out of range', async () => {
    const members = cifar10Members();
    const bad = members['cifar-10-batches-bin/data_batch_2.bin']!;
    bad[3073] = 12; // label byte of record 1
    expect(await message('cifar10', [{ name: 'c.tar.gz', data: await tgz(members) }])).toMatch(
      /data_batch_2\.bin: record 1 has label 12, out of range 0–9/,
    );
    const members100 = cifar100Members();
    members100['cifar-100-binary/test.bin']![0] = 25; // coarse label of record 0
    expect(await message('cifar100', [{ name: 'c.tar.gz', data: await tgz(members100) }])).toMatch(/coarse label 25/);
  });

  it('wrong record size and wrong names file', async () => {
    const members = cifar10Members();
    members['cifar-10-batches-bin/test_batch.bin'] = members['cifar-10-batches-bin/test_batch.bin']!.subarray(0, 5000);
    expect(await message('cifar10', [{ name: 'c.tar.gz', data: await tgz(members) }])).toMatch(
      /test_batch\.bin is truncated or not a CIFAR-10 batch: its size \(5000 bytes\) is not a whole number of 3073-byte records/,
    );
    const named = cifar10Members();
    named['cifar-10-batches-bin/batches.meta.txt'] = new TextEncoder().encode('cat\ndog\n');
    expect(await message('cifar10', [{ name: 'c.tar.gz', data: await tgz(named) }])).toMatch(
      /lists 2 class names; CIFAR-10 has 10/,
    );
  });
});
