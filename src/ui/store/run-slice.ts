import type { StateCreator } from 'zustand';
import type { Experiment } from '../../engine/experiment/schema';
import type { BestEpoch, MaskRound, RecipeId, RecipeStatus, SessionEvent, SessionInfo } from '../../worker/protocol';
import { appendDecimated } from '../charts/decimate';
import type { LabState } from './index';
import { afterLrsiEvent, emptyLrsi } from './lrsi-slice';

export type RunPhase = 'idle' | 'starting' | 'training' | 'paused' | 'completed' | 'stopped' | 'failed';

export interface LossSample {
  readonly x: number; // epoch
  readonly y: number; // training objective
}

export interface EvalSample {
  readonly x: number; // epoch
  readonly y: number; // test accuracy
  readonly loss: number;
  readonly validation: number | null;
  readonly reluShare: number;
  readonly ghostScale: number;
}

export interface Progress {
  readonly step: number;
  readonly epoch: number;
  readonly stepsPerSecond: number;
  readonly imagesPerSecond: number;
  readonly tensorCount: number;
}

const RECIPES: readonly RecipeId[] = ['default', 'tost'];
const perRecipe = <T>(make: () => T): Record<RecipeId, T> => ({ default: make(), tost: make() });

/** Loss curves are decimated to this many points per recipe. */
export const MAX_LOSS_POINTS = 400;

export interface RunSlice {
  phase: RunPhase;
  /** The experiment the current or last run trains (settings may have been edited since). */
  runExperiment: Experiment | null;
  info: SessionInfo | null;
  loss: Record<RecipeId, LossSample[]>;
  evals: Record<RecipeId, EvalSample[]>;
  status: Record<RecipeId, RecipeStatus>;
  best: Record<RecipeId, BestEpoch | null>;
  /** Epoch at which a recipe's ghost skip branches were removed. */
  ghostsRemovedAt: Record<RecipeId, number | null>;
  progress: Progress | null;
  /** Data download and decoding before the first step. */
  loading: { fraction: number; message: string } | null;
  /** Mask computation (training, iterations) before the first step. */
  masking: { fraction: number; message: string } | null;
  /** Finished lottery-ticket rounds of the current mask. */
  maskRounds: MaskRound[];
  runError: string | null;
  beginRun: (experiment: Experiment) => void;
  applyEvent: (event: SessionEvent) => void;
  failRun: (message: string) => void;
  clearRun: () => void;
}

const emptyRun = () => ({
  info: null,
  loss: perRecipe<LossSample[]>(() => []),
  evals: perRecipe<EvalSample[]>(() => []),
  status: perRecipe<RecipeStatus>(() => ({ state: 'training' })),
  best: perRecipe<BestEpoch | null>(() => null),
  ghostsRemovedAt: perRecipe<number | null>(() => null),
  progress: null,
  loading: null,
  masking: null,
  maskRounds: [] as MaskRound[],
  runError: null,
  ...emptyLrsi(),
});

export const createRunSlice: StateCreator<LabState, [], [], RunSlice> = (set) => ({
  phase: 'idle',
  runExperiment: null,
  ...emptyRun(),
  beginRun: (experiment) => set({ phase: 'starting', runExperiment: experiment, ...emptyRun() }),
  applyEvent: (event) =>
    set((state) => {
      switch (event.type) {
        case 'loading':
          return { loading: { fraction: event.fraction, message: event.message } };
        case 'masking':
          return {
            loading: null,
            masking: { fraction: event.fraction, message: event.message },
            maskRounds: event.round ? [...state.maskRounds, event.round] : state.maskRounds,
          };
        case 'started':
          return { info: event.info, loading: null, masking: null, phase: state.phase === 'starting' ? 'training' : state.phase };
        case 'loss': {
          const added = event.points.map((p) => ({ x: p.epoch, y: p.loss }));
          return { loss: { ...state.loss, [event.recipe]: appendDecimated(state.loss[event.recipe], added, MAX_LOSS_POINTS) } };
        }
        case 'eval': {
          const sample = {
            x: event.epoch,
            y: event.testAccuracy,
            loss: event.testLoss,
            validation: event.validationAccuracy,
            reluShare: event.reluShare,
            ghostScale: event.ghostScale,
          };
          return {
            evals: { ...state.evals, [event.recipe]: [...state.evals[event.recipe], sample] },
            best: { ...state.best, [event.recipe]: event.best },
          };
        }
        case 'status':
          return { status: { ...state.status, [event.recipe]: event.status } };
        case 'progress':
          return { progress: event };
        case 'lrsi-progress':
        case 'lrsi-done':
          return afterLrsiEvent(state.lrsi, event);
        case 'ghosts-removed':
          return { ghostsRemovedAt: { ...state.ghostsRemovedAt, [event.recipe]: event.epoch } };
        case 'paused':
          return { phase: 'paused' };
        case 'resumed':
          return { phase: 'training' };
        case 'finished':
          return { phase: event.reason === 'completed' ? 'completed' : 'stopped' };
      }
    }),
  failRun: (message) => set({ phase: 'failed', runError: message }),
  clearRun: () => set({ phase: 'idle', runExperiment: null, ...emptyRun() }),
});

export { RECIPES };
