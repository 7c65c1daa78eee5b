import type { StateCreator } from 'zustand';
import type { BackendReport, CachedDatasetInfo } from '../../worker/protocol';
import type { LabState } from './index';

export type BackendState =
  | { state: 'loading' }
  | { state: 'ready'; report: BackendReport }
  | { state: 'failed'; message: string };

export interface Notice {
  readonly id: number;
  readonly tone: 'error' | 'warning' | 'info';
  readonly text: string;
}

export type ImportState = { state: 'idle' } | { state: 'importing'; fraction: number; message: string } | { state: 'failed'; message: string };

export interface UiSlice {
  backend: BackendState;
  notices: Notice[];
  /** Datasets cached in this browser (null until the worker has listed them). */
  imported: CachedDatasetInfo[] | null;
  importState: ImportState;
  setImported: (imported: CachedDatasetInfo[]) => void;
  setImportState: (importState: ImportState) => void;
  setBackend: (backend: BackendState) => void;
  addNotice: (tone: Notice['tone'], text: string) => void;
  dismissNotice: (id: number) => void;
}

let nextNoticeId = 1;

export const createUiSlice: StateCreator<LabState, [], [], UiSlice> = (set) => ({
  backend: { state: 'loading' },
  notices: [],
  imported: null,
  importState: { state: 'idle' },
  setImported: (imported) => set({ imported }),
  setImportState: (importState) => set({ importState }),
  setBackend: (backend) => set({ backend }),
  addNotice: (tone, text) => set((state) => ({ notices: [...state.notices, { id: nextNoticeId++, tone, text }] })),
  dismissNotice: (id) => set((state) => ({ notices: state.notices.filter((n) => n.id !== id) })),
});
