import type { Experiment } from '../../engine/experiment/schema';
import type { RecipeId } from '../../worker/protocol';
import { ActivationShape } from './ActivationShape';
import { LrsiScales } from './LrsiScales';
import { useLab } from '../store';

/** What the ToST side does, in words, from the settings of the run. */
function tostDescription(e: Experiment): string {
  const parts: string[] = [];
  if (e.gsn) parts.push(e.gsnSchedule === 'reference' ? `${e.gsnActivation} neurons throughout` : `${e.gsnActivation} ghost neurons until epoch ${e.gsnEnd}`);
  if (e.gsc) parts.push(e.gscSchedule === 'reference' ? 'ghost skips kept' : `ghost skips fading out by epoch ${e.gscEnd}`);
  if (e.ls) parts.push(`label smoothing ${e.lsAlpha}${e.lsOff > 0 ? ` until epoch ${e.lsOff}` : ''}`);
  if (e.lrsi) parts.push(`initialisation rescaled by GradInit (${e.lrsiIters} iterations)`);
  return parts.length === 0 ? 'No ToST technique on: trains like Default.' : `ToST: ${parts.join(', ')}; same mask, weights and batches.`;
}

function StatusLine({ recipe }: { recipe: RecipeId }) {
  const status = useLab((state) => state.status[recipe]);
  const phase = useLab((state) => state.phase);
  switch (status.state) {
    case 'diverged':
      return (
        <p className="status status-diverged" role="alert">
          Diverged at step {status.step}: {status.reason}
        </p>
      );
    case 'at-chance':
      return (
        <p className="status status-chance">
          Stuck at chance: {(status.accuracy * 100).toFixed(1)}% test accuracy, chance is {(status.chance * 100).toFixed(1)}%
        </p>
      );
    case 'done':
      return <p className="status status-done">Finished</p>;
    case 'training':
      return <p className="status">{phase === 'idle' ? 'Not started' : phase === 'paused' ? 'Paused' : phase === 'stopped' ? 'Stopped' : 'Training'}</p>;
  }
}

/** How many dense ghost parameters the recipe carries, its α, and when they were removed. */
function GhostLine({ recipe }: { recipe: RecipeId }) {
  const ghostParams = useLab((state) => state.info?.recipes.find((r) => r.id === recipe)?.ghostParams ?? 0);
  const removedAt = useLab((state) => state.ghostsRemovedAt[recipe]);
  const scale = useLab((state) => state.evals[recipe].at(-1)?.ghostScale);
  if (ghostParams === 0) return null;
  return (
    <p className="ghost-line" data-testid={`ghosts-${recipe}`}>
      {removedAt !== null
        ? `Ghost skips removed at epoch ${removedAt.toFixed(1)}: the model is the masked network alone.`
        : `+${ghostParams.toLocaleString('en-US')} dense ghost-skip parameters outside the mask${scale !== undefined ? ` (α = ${scale.toFixed(2)})` : ''}.`}
    </p>
  );
}

/** One recipe's headline numbers and state. */
export function RecipeCard({ recipe }: { recipe: RecipeId }) {
  const evals = useLab((state) => state.evals[recipe]);
  const loss = useLab((state) => state.loss[recipe]);
  const bestEpoch = useLab((state) => state.best[recipe]);
  const experiment = useLab((state) => state.runExperiment ?? state.experiment);
  const last = evals.at(-1);
  return (
    <article className={`recipe-card recipe-${recipe}`} data-testid={`recipe-${recipe}`} aria-label={`${recipe === 'tost' ? 'ToST' : 'Default'} recipe`}>
      <h2>{recipe === 'tost' ? 'ToST' : 'Default'}</h2>
      <p className="recipe-description">
        {recipe === 'tost' ? tostDescription(experiment) : 'Dense-network protocol: ReLU, cross-entropy, SGD with momentum.'}
      </p>
      {recipe === 'tost' && <ActivationShape />}
      <dl>
        <div>
          <dt>Test accuracy</dt>
          <dd data-testid={`accuracy-${recipe}`}>{last ? `${(last.y * 100).toFixed(1)}%` : '—'}</dd>
        </div>
        <div>
          <dt title="Test accuracy at the epoch with the best validation accuracy: the number the reference code reports">At best validation</dt>
          <dd data-testid={`best-${recipe}`}>
            {bestEpoch ? `${(bestEpoch.testAccuracy * 100).toFixed(1)}% (epoch ${Math.round(bestEpoch.epoch)})` : '—'}
          </dd>
        </div>
        <div>
          <dt>Train loss</dt>
          <dd data-testid={`train-loss-${recipe}`}>{loss.length > 0 ? loss.at(-1)!.y.toFixed(3) : '—'}</dd>
        </div>
        {recipe === 'tost' && last && (
          <div>
            <dt>ReLU share</dt>
            <dd title="λ of the ghost-neuron blend: 0 is fully soft, 1 is plain ReLU">{last.reluShare.toFixed(2)}</dd>
          </div>
        )}
      </dl>
      <GhostLine recipe={recipe} />
      <LrsiScales recipe={recipe} />
      <StatusLine recipe={recipe} />
    </article>
  );
}
