import { chooseBackend } from '../engine/backend';
import { type Experiment } from '../engine/experiment/schema';
import { validateExperiment, describeIssue } from '../engine/experiment/validation';
import { drivePairedSession } from '../engine/train/driver';
import type { SessionEvent } from '../engine/train/events';
import { RunControl } from '../engine/train/run-control';
import { PairedSession } from '../engine/train/session';
import { MaskCancelled } from '../engine/masks/context';
import { sharedMaskMemo } from '../engine/masks/memo';
import { summarizeModel } from '../engine/models/summary';
import { forgetImported, type LoadContext } from '../engine/data/registry';
import { deleteDataset, listDatasets } from '../engine/data/cache';
import { importDataset } from '../engine/data/importer';
import { datasetKind } from '../engine/data/catalog';
import type { BackendName, BackendReport, TrainerApi, TrainOutcome } from './protocol';

/**
 * The worker's side of the protocol, independent of the transport so tests can
 * call it directly. One run at a time: starting a new one stops the current one.
 */
export interface TrainerHost {
  /** Threads the WASM backend runs, where it can tell (once its helper threads are up). */
  readonly wasmThreads: () => number | null | Promise<number | null>;
  /** How datasets reach the app's own files (never another origin). */
  readonly load: Omit<LoadContext, 'onProgress'>;
}

export function createTrainer(host: TrainerHost): TrainerApi {
  let control: RunControl | null = null;
  let running: Promise<unknown> = Promise.resolve();

  return {
    async initBackend(forced: BackendName | null): Promise<BackendReport> {
      const choice = await chooseBackend(forced);
      return { ...choice, wasmThreads: choice.backend === 'wasm' ? await host.wasmThreads() : null };
    },

    async train(experiment: Experiment, onEvent: (event: SessionEvent) => void): Promise<TrainOutcome> {
      const checked = validateExperiment(experiment);
      if (!checked.ok) throw new Error(`Invalid experiment: ${checked.issues.map(describeIssue).join('; ')}`);
      control?.stop();
      await running.catch(() => undefined);
      const myControl = new RunControl();
      control = myControl;
      const run = (async () => {
        const onProgress = (fraction: number, message: string) => onEvent({ type: 'loading', fraction, message });
        let session: PairedSession;
        try {
          session = await PairedSession.create(checked.experiment, { ...host.load, onProgress }, {
            control: myControl,
            memo: sharedMaskMemo,
            onMaskProgress: ({ fraction, message, round }) => onEvent({ type: 'masking', fraction, message, ...(round ? { round } : {}) }),
          });
        } catch (error) {
          if (error instanceof MaskCancelled) {
            onEvent({ type: 'finished', reason: 'stopped' });
            return 'stopped' as const;
          }
          throw error;
        }
        try {
          return await drivePairedSession(session, myControl, onEvent);
        } finally {
          session.dispose();
        }
      })();
      running = run;
      const reason = await run;
      if (control === myControl) control = null;
      return { reason };
    },

    async describeModel(experiment: Experiment) {
      const checked = validateExperiment(experiment);
      if (!checked.ok) throw new Error(`Invalid experiment: ${checked.issues.map(describeIssue).join('; ')}`);
      // An imported dataset may be stored downsampled: count the network it will really train.
      const stored = datasetKind(checked.experiment.dataset) === 'imported-image'
        ? (await listDatasets(host.load.cache)).find((entry) => entry.id === checked.experiment.dataset)
        : undefined;
      return summarizeModel(checked.experiment, stored?.inputShape);
    },

    async importDataset(id, source, settings, onProgress) {
      const info = await importDataset(id, source, { fetch: host.load.fetch, cache: host.load.cache, onProgress }, settings);
      forgetImported(id);
      return info;
    },

    async listImportedDatasets() {
      return listDatasets(host.load.cache);
    },

    async deleteImportedDataset(id) {
      await deleteDataset(id, host.load.cache);
      forgetImported(id);
    },

    async pause() {
      control?.pause();
    },

    async resume() {
      control?.resume();
    },

    async stop() {
      control?.stop();
      await running.catch(() => undefined);
    },
  };
}
