/**
 * The one contract between the UI thread and the training worker. The UI
 * imports only types from here (never tfjs); the worker implements TrainerApi.
 *
 * Transport: Comlink. Each call is a request message with its own id, and the
 * worker answers every one with its result or the error it threw (re-thrown
 * in the UI as an Error). Training streams SessionEvents through the callback
 * passed to `train`, which resolves when the run ends.
 */
import type { Experiment } from '../engine/experiment/schema';
import type { BackendChoice } from '../engine/backend';
import type { BackendName } from '../engine/backend-names';
import type { SessionEvent } from '../engine/train/events';
import type { ModelSummary } from '../engine/models/summary';
import type { CachedDatasetInfo } from '../engine/data/cache';
import type { ImportableId, ImportSettings, ImportSource } from '../engine/data/importer';

export type { SessionEvent, SessionInfo, RecipeStatus, LossPoint, BestEpoch } from '../engine/train/events';
export type { BackendChoice } from '../engine/backend';
export { BACKEND_ORDER, isBackendName, type BackendName } from '../engine/backend-names';
export type { RecipeId } from '../engine/tost/recipe';
export type { MaskRound } from '../engine/masks/context';
export type { MaskLayerPicture } from '../engine/masks/mask-picture';
export type { LrsiScale, GradInitIteration } from '../engine/tost/lrsi';

export interface BackendReport extends BackendChoice {
  /** Threads the WASM backend uses (1 without cross-origin isolation). */
  readonly wasmThreads: number | null;
}

export type { ModelSummary } from '../engine/models/summary';
export type { CachedDatasetInfo } from '../engine/data/cache';
export type { ImportableId, ImportSettings, ImportSource } from '../engine/data/importer';

export type TrainOutcome = { readonly reason: 'completed' | 'stopped' };

export interface TrainerApi {
  /** Picks and initialises the backend; call once before training. */
  initBackend(forced: BackendName | null): Promise<BackendReport>;
  /** Trains both recipes of `experiment` (validated again in the worker), streaming events; resolves when the run ends. */
  train(experiment: Experiment, onEvent: (event: SessionEvent) => void): Promise<TrainOutcome>;
  /** Parameter counts of the experiment's network (for the imported variant, if one is stored) and what its mask keeps, without training. */
  describeModel(experiment: Experiment): Promise<ModelSummary>;
  /** Parses a user's dataset (files or URL), keeping what `settings` ask, and caches it in IndexedDB; nothing is kept if anything fails. */
  importDataset(
    id: ImportableId,
    source: ImportSource,
    settings: ImportSettings,
    onProgress: (fraction: number, message: string) => void,
  ): Promise<CachedDatasetInfo>;
  listImportedDatasets(): Promise<CachedDatasetInfo[]>;
  deleteImportedDataset(id: string): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Ends the current run (its `train` call resolves with reason 'stopped'). */
  stop(): Promise<void>;
}
