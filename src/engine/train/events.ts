import type { MaskRound } from '../masks/context';
import type { MaskLayerPicture } from '../masks/mask-picture';
import type { GradInitIteration, LrsiScale } from '../tost/lrsi';
import type { RecipeId } from '../tost/recipe';

/** What a paired run reports while it trains. The worker forwards these to the UI as they are. */

export type RecipeStatus =
  | { state: 'training' }
  /** Test accuracy has not left chance level this far into the run. */
  | { state: 'at-chance'; accuracy: number; chance: number }
  | { state: 'diverged'; step: number; reason: string }
  | { state: 'done' };

export interface SessionInfo {
  readonly numClasses: number;
  readonly trainCount: number;
  readonly testCount: number;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  readonly epochs: number;
  /** Accuracy of always guessing the most common test class. */
  readonly chanceAccuracy: number;
  readonly totalParams: number;
  readonly keptParams: number;
  readonly layers: readonly { name: string; size: number; kept: number }[];
  /** Every masked tensor: counts, units without inputs and a small picture of the mask. */
  readonly maskLayers: readonly MaskLayerPicture[];
  /** Layers left with almost nothing to learn with (shown in the lab). */
  readonly maskWarnings: readonly string[];
  /** ghostParams: dense parameters of the recipe's ghost branches, outside the mask and the counts above. */
  readonly recipes: readonly { id: RecipeId; label: string; ghostParams: number }[];
}

export interface BestEpoch {
  readonly epoch: number;
  readonly validationAccuracy: number;
  readonly testAccuracy: number;
}

export interface LossPoint {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
}

export type SessionEvent =
  /** Data being downloaded or decoded before training starts. */
  | { type: 'loading'; fraction: number; message: string }
  /** A mask that takes time (training, iterations) being computed; rounds of a lottery ticket as they finish. */
  | { type: 'masking'; fraction: number; message: string; round?: MaskRound }
  | { type: 'started'; info: SessionInfo }
  | { type: 'loss'; recipe: RecipeId; points: LossPoint[] }
  | {
      type: 'eval';
      recipe: RecipeId;
      step: number;
      epoch: number;
      testAccuracy: number;
      testLoss: number;
      /** Null when the dataset has no validation split. */
      validationAccuracy: number | null;
      reluShare: number;
      /** α of the ghost skips (0 without them or once removed). */
      ghostScale: number;
      /** The epoch with the best validation accuracy so far and its test accuracy: the number the reference reports. */
      best: BestEpoch | null;
    }
  | { type: 'status'; recipe: RecipeId; status: RecipeStatus }
  /** LRsI before the first step: GradInit's iteration `iteration` of `iterations` (sent at most every report interval, and the last). */
  | ({ type: 'lrsi-progress'; recipe: RecipeId } & GradInitIteration)
  /** LRsI finished: the scale learned for each rescaled tensor of the recipe's network. */
  | { type: 'lrsi-done'; recipe: RecipeId; iterations: number; constraintSteps: number; objectiveSteps: number; scales: readonly LrsiScale[] }
  | {
      type: 'progress';
      step: number;
      epoch: number;
      stepsPerSecond: number;
      imagesPerSecond: number;
      /** Live tensors in the engine; flat over a healthy run. */
      tensorCount: number;
    }
  /** Sent once training has actually halted (after the steps in flight were reported) and when it goes on. */
  /** The recipe's ghost branches faded out and were removed from its model. */
  | { type: 'ghosts-removed'; recipe: RecipeId; step: number; epoch: number }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | { type: 'finished'; reason: 'completed' | 'stopped' };
