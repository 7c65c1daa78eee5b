import { gzipSync } from 'fflate';
import { packTar, type TarEntry } from 'modern-tar';

/**
 * A small but real `cifar-10-binary.tar.gz`: the official member names and
 * record layout (label byte, then 32×32 planar R, G, B), with images a network
 * can learn: each class has its own colour, plus per-image noise.
 */
export async function cifar10Archive(recordsPerBatch: number, seed = 1): Promise<Uint8Array> {
  let state = seed;
  const noise = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 24) % 48;
  };
  const batch = (b: number) => {
    const bytes = new Uint8Array(recordsPerBatch * 3073);
    for (let r = 0; r < recordsPerBatch; r++) {
      const label = (b * recordsPerBatch + r) % 10;
      const record = bytes.subarray(r * 3073, (r + 1) * 3073);
      record[0] = label;
      for (let channel = 0; channel < 3; channel++) {
        const base = ((label * (channel + 3) * 37) % 200) + 10;
        for (let p = 0; p < 1024; p++) record[1 + channel * 1024 + p] = base + noise();
      }
    }
    return bytes;
  };
  const members: Record<string, Uint8Array> = {};
  for (let b = 1; b <= 5; b++) members[`cifar-10-batches-bin/data_batch_${b}.bin`] = batch(b);
  members['cifar-10-batches-bin/test_batch.bin'] = batch(6);
  members['cifar-10-batches-bin/batches.meta.txt'] = new TextEncoder().encode(
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n',
  );
  const entries: TarEntry[] = [
    { header: { name: 'cifar-10-batches-bin/', type: 'directory', size: 0 } },
    ...Object.entries(members).map(([name, body]): TarEntry => ({ header: { name, size: body.length, type: 'file' }, body })),
  ];
  return gzipSync(await packTar(entries));
}
