import { describe, expect, it, vi } from 'vitest';
import type { TrainerApi } from '../../worker/protocol';
import { useLab } from '../store';

/** A worker whose last import progress report arrives after the import call has returned, as two message ports allow. */
const trainer: Partial<TrainerApi> = {
  initBackend: async () => ({ backend: 'cpu', skipped: [], wasmThreads: null }) as unknown as Awaited<ReturnType<TrainerApi['initBackend']>>,
  listImportedDatasets: async () => [],
  importDataset: async (_id, _source, _settings, onProgress) => {
    onProgress(0.5, 'Decoding images');
    setTimeout(() => onProgress(1, 'TinyImageNet is ready'), 0);
    return {} as Awaited<ReturnType<TrainerApi['importDataset']>>;
  },
};

vi.mock('./trainer-client', () => ({ connectTrainer: () => trainer }));

describe('importing through the worker', () => {
  it('ends idle even when a progress report arrives after the import has returned', async () => {
    const { importDataset, initTrainer } = await import('./controller');
    await initTrainer('');
    await importDataset('tiny-imagenet', { url: 'https://example.org/tiny-imagenet-200.zip' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(useLab.getState().importState).toEqual({ state: 'idle' });
  });
});
