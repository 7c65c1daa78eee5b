import type { StateCreator } from 'zustand';
import type { BackendReport } from '../../worker/protocol';
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

export interface UiSlice {
  backend: BackendState;
  notices: Notice[];
  setBackend: (backend: BackendState) => void;
  addNotice: (tone: Notice['tone'], text: string) => void;
  dismissNotice: (id: number) => void;
}

let nextNoticeId = 1;

export const createUiSlice: StateCreator<LabState, [], [], UiSlice> = (set) => ({
  backend: { state: 'loading' },
  notices: [],
  setBackend: (backend) => set({ backend }),
  addNotice: (tone, text) => set((state) => ({ notices: [...state.notices, { id: nextNoticeId++, tone, text }] })),
  dismissNotice: (id) => set((state) => ({ notices: state.notices.filter((n) => n.id !== id) })),
});
