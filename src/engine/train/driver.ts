import * as tf from '@tensorflow/tfjs';
import type { RecipeId } from '../tost/recipe';
import type { BestEpoch, LossPoint, RecipeStatus, SessionEvent } from './events';
import { yieldToEventLoop, type RunControl } from './run-control';
import type { PairedSession } from './session';

export interface DriverOptions {
  /** How often loss points and progress are sent, in ms (also the longest gap between yields). */
  readonly reportIntervalMs?: number;
  readonly now?: () => number;
}

/** A run counts as stuck at chance when, from a quarter of the way in, test accuracy is within this of chance. */
const CHANCE_MARGIN = 0.03;

export function isAtChance(accuracy: number, chance: number, epoch: number, epochs: number): boolean {
  return epoch >= Math.max(1, epochs / 4) && accuracy <= chance + CHANCE_MARGIN;
}

/**
 * LRsI before the first step: progress at most every `interval` (and the last
 * iteration), yielding so that Pause and Stop arrive; both are honoured
 * between GradInit iterations.
 */
async function rescaleInitialization(
  session: PairedSession,
  control: RunControl,
  emit: (event: SessionEvent) => void,
  interval: number,
  now: () => number,
): Promise<void> {
  let lastReport = -Infinity;
  const outcomes = await session.rescaleInitialization({
    shouldStop: () => control.stopped,
    onIteration: async (recipe, iteration) => {
      if (iteration.iteration === iteration.iterations || now() - lastReport >= interval) {
        emit({ type: 'lrsi-progress', recipe, ...iteration });
        lastReport = now();
        await yieldToEventLoop();
      }
      if (control.paused) {
        emit({ type: 'paused', step: session.step });
        await control.waitWhilePaused();
        if (!control.stopped) emit({ type: 'resumed', step: session.step });
      }
    },
  });
  for (const [recipe, outcome] of outcomes) emit({ type: 'lrsi-done', recipe, ...outcome });
}

/**
 * Trains a paired session to the end (or until stopped), reporting as it goes:
 * loss points and progress at most every `reportIntervalMs`, a test evaluation
 * at each epoch end, and status changes (diverged, at chance, done) as they happen.
 */
export async function drivePairedSession(
  session: PairedSession,
  control: RunControl,
  emit: (event: SessionEvent) => void,
  options: DriverOptions = {},
): Promise<'completed' | 'stopped'> {
  const now = options.now ?? (() => performance.now());
  const interval = options.reportIntervalMs ?? 100;
  const { info } = session;
  const pending = new Map<RecipeId, LossPoint[]>();
  const statuses = new Map<RecipeId, RecipeStatus['state']>();
  const best = new Map<RecipeId, BestEpoch>();
  const setStatus = (recipe: RecipeId, status: RecipeStatus) => {
    statuses.set(recipe, status.state);
    emit({ type: 'status', recipe, status });
  };

  let lastReport = now();
  let stepsSinceReport = 0;
  let imagesSinceReport = 0;

  const flush = (epoch: number) => {
    for (const [recipe, points] of pending) if (points.length > 0) emit({ type: 'loss', recipe, points });
    pending.clear();
    const elapsed = Math.max(now() - lastReport, 1e-3) / 1000;
    emit({
      type: 'progress',
      step: session.step,
      epoch,
      stepsPerSecond: stepsSinceReport / elapsed,
      imagesPerSecond: imagesSinceReport / elapsed,
      tensorCount: tf.memory().numTensors,
    });
    lastReport = now();
    stepsSinceReport = 0;
    imagesSinceReport = 0;
  };

  /** Recipes whose ghost branches are still in their model. */
  const withGhosts = new Set(info.recipes.filter((r) => r.ghostParams > 0).map((r) => r.id));

  emit({ type: 'started', info });
  for (const { id } of info.recipes) setStatus(id, { state: 'training' });
  await rescaleInitialization(session, control, emit, interval, now);
  lastReport = now();

  while (!session.finished && !control.stopped) {
    if (control.paused) {
      flush(session.step / info.stepsPerEpoch);
      emit({ type: 'paused', step: session.step });
      await control.waitWhilePaused();
      if (!control.stopped) emit({ type: 'resumed', step: session.step });
      lastReport = now();
      continue;
    }
    const outcome = await session.trainStep();
    for (const recipe of withGhosts) {
      if (!session.runs.get(recipe)!.hasRemovedGhosts) continue;
      withGhosts.delete(recipe);
      emit({ type: 'ghosts-removed', recipe, step: outcome.step, epoch: outcome.epoch });
    }
    stepsSinceReport += 1;
    imagesSinceReport += outcome.batchSize * outcome.losses.size;
    for (const [recipe, loss] of outcome.losses) {
      if (!Number.isFinite(loss) || outcome.nonFiniteWeights.has(recipe)) {
        session.deactivate(recipe);
        const reason = Number.isFinite(loss) ? 'weights became NaN or infinite' : `training loss became ${loss}`;
        setStatus(recipe, { state: 'diverged', step: outcome.step, reason });
        continue;
      }
      const points = pending.get(recipe) ?? [];
      points.push({ step: outcome.step, epoch: outcome.step / info.stepsPerEpoch, loss });
      pending.set(recipe, points);
    }

    if (outcome.endOfEpoch) {
      const epoch = outcome.step / info.stepsPerEpoch;
      for (const [recipe, { test, validation }] of await session.evaluate()) {
        const run = session.runs.get(recipe)!;
        const reluShare = run.recipe.reluShareAt(epoch);
        const ghostScale = run.hasRemovedGhosts ? 0 : run.recipe.ghostScaleAt(epoch);
        // Ties keep the earlier epoch, as "best so far" checkpointing does.
        const previous = best.get(recipe);
        if (validation && Number.isFinite(validation.loss) && (!previous || validation.accuracy > previous.validationAccuracy)) {
          best.set(recipe, { epoch, validationAccuracy: validation.accuracy, testAccuracy: test.accuracy });
        }
        emit({
          type: 'eval',
          recipe,
          step: outcome.step,
          epoch,
          testAccuracy: test.accuracy,
          testLoss: test.loss,
          validationAccuracy: validation?.accuracy ?? null,
          reluShare,
          ghostScale,
          best: best.get(recipe) ?? null,
        });
        if (!Number.isFinite(test.loss)) {
          session.deactivate(recipe);
          setStatus(recipe, { state: 'diverged', step: outcome.step, reason: `test loss became ${test.loss}` });
        } else if (isAtChance(test.accuracy, info.chanceAccuracy, epoch, info.epochs)) {
          if (statuses.get(recipe) !== 'at-chance') {
            setStatus(recipe, { state: 'at-chance', accuracy: test.accuracy, chance: info.chanceAccuracy });
          }
        } else if (statuses.get(recipe) === 'at-chance') {
          setStatus(recipe, { state: 'training' });
        }
      }
    }

    if (now() - lastReport >= interval) {
      flush(outcome.step / info.stepsPerEpoch);
      await yieldToEventLoop();
    }
  }

  flush(session.step / info.stepsPerEpoch);
  const reason = control.stopped ? 'stopped' : 'completed';
  if (reason === 'completed') {
    // A run that ended diverged or at chance keeps saying so.
    for (const { id } of info.recipes) if (statuses.get(id) === 'training') setStatus(id, { state: 'done' });
  }
  emit({ type: 'finished', reason });
  return reason;
}
