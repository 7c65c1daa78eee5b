import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import type { Experiment } from '../../engine/experiment/schema';
import type { ImportableId, ImportSettings, ImportSource, ModelSummary, SessionEvent, TrainerApi } from '../../worker/protocol';
import { useLab } from '../store';
import { readForcedBackend } from './backend-param';
import { connectTrainer } from './trainer-client';

/** Owns the worker for the page's lifetime and turns button presses into protocol calls. */
let trainer: Remote<TrainerApi> | null = null;
/** Identifies the current run; events of an earlier run that arrive late are dropped. */
let currentRun = 0;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function initTrainer(search: string): Promise<void> {
  const lab = useLab.getState();
  const { forced, problem } = readForcedBackend(search);
  if (problem) lab.addNotice('warning', problem);
  trainer = connectTrainer((message) => {
    useLab.getState().setBackend({ state: 'failed', message });
    useLab.getState().failRun(`The training worker stopped: ${message}`);
  });
  try {
    const report = await trainer.initBackend(forced);
    useLab.getState().setBackend({ state: 'ready', report });
    await refreshImported();
  } catch (error) {
    useLab.getState().setBackend({ state: 'failed', message: describeError(error) });
  }
}

export async function startRun(): Promise<void> {
  if (!trainer) return;
  const { experiment, beginRun, applyEvent, failRun } = useLab.getState();
  const run = ++currentRun;
  beginRun(experiment);
  const onEvent = Comlink.proxy((event: SessionEvent) => {
    if (run === currentRun) applyEvent(event);
  });
  try {
    await trainer.train(experiment, onEvent);
  } catch (error) {
    if (run === currentRun) failRun(describeError(error));
  }
}

// The worker confirms pause and resume with events once the loop has really halted or gone on.
export async function pauseRun(): Promise<void> {
  await trainer?.pause();
}

export async function resumeRun(): Promise<void> {
  await trainer?.resume();
}

export async function stopRun(): Promise<void> {
  await trainer?.stop();
}

export async function resetRun(): Promise<void> {
  currentRun++;
  await trainer?.stop();
  useLab.getState().clearRun();
}

/** Parameter counts for the current settings (null until the worker answers, or when it cannot). */
export async function describeModel(experiment: Experiment): Promise<ModelSummary | { error: string } | null> {
  if (!trainer) return null;
  try {
    return await trainer.describeModel(experiment);
  } catch (error) {
    return { error: describeError(error) };
  }
}

export async function refreshImported(): Promise<void> {
  if (!trainer) return;
  try {
    useLab.getState().setImported(await trainer.listImportedDatasets());
  } catch (error) {
    useLab.getState().addNotice('warning', `This browser's dataset storage cannot be read: ${describeError(error)}`);
    useLab.getState().setImported([]);
  }
}

export async function importDataset(id: ImportableId, source: ImportSource, settings: ImportSettings = {}): Promise<void> {
  if (!trainer) return;
  const { setImportState } = useLab.getState();
  setImportState({ state: 'importing', fraction: 0, message: 'Starting' });
  // Progress comes through the callback's own message port, so its last report can arrive after the call has
  // returned on the worker's; once the call is over, late reports must not put the form back into "importing".
  let over = false;
  const onProgress = (fraction: number, message: string) => {
    if (!over) setImportState({ state: 'importing', fraction, message });
  };
  try {
    await trainer.importDataset(id, source, settings, Comlink.proxy(onProgress));
    over = true;
    setImportState({ state: 'idle' });
  } catch (error) {
    over = true;
    setImportState({ state: 'failed', message: describeError(error) });
  }
  await refreshImported();
}

export async function deleteImported(id: string): Promise<void> {
  await trainer?.deleteImportedDataset(id);
  await refreshImported();
}
