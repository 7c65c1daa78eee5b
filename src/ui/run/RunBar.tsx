import { useMemo } from 'react';
import { crossFieldIssues, describeIssue } from '../../engine/experiment/validation';
import { importProblem as findImportProblem } from '../data/import-problem';
import { useLab } from '../store';
import { pauseRun, resetRun, resumeRun, startRun, stopRun } from './controller';

function formatRate(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

/** Train / Pause / Resume / Stop / Reset, and one line of progress. */
export function RunBar() {
  const phase = useLab((state) => state.phase);
  const backendReady = useLab((state) => state.backend.state === 'ready');
  const progress = useLab((state) => state.progress);
  const info = useLab((state) => state.info);
  const runError = useLab((state) => state.runError);
  const loading = useLab((state) => state.loading);
  const masking = useLab((state) => state.masking);
  const lrsiProgress = useLab((state) => (state.lrsi.tost.outcome ? null : state.lrsi.tost.progress));
  const active = phase === 'starting' || phase === 'training' || phase === 'paused';
  const experiment = useLab((state) => state.experiment);
  const imported = useLab((state) => state.imported);
  const importProblem = useMemo(() => findImportProblem(experiment, imported), [experiment, imported]);
  const problems = useMemo(() => crossFieldIssues(experiment), [experiment]);
  const blocked = problems.length > 0 || importProblem !== null;

  return (
    <section className="run-bar" aria-label="Run">
      <div className="buttons">
        <button type="button" className="primary" onClick={() => void startRun()} disabled={!backendReady || phase === 'starting' || blocked}>
          {active ? 'Restart' : 'Train'}
        </button>
        {phase === 'paused' ? (
          <button type="button" onClick={() => void resumeRun()}>
            Resume
          </button>
        ) : (
          <button type="button" onClick={() => void pauseRun()} disabled={phase !== 'training'}>
            Pause
          </button>
        )}
        <button type="button" onClick={() => void stopRun()} disabled={!active}>
          Stop
        </button>
        <button type="button" onClick={() => void resetRun()} disabled={phase === 'idle'}>
          Reset
        </button>
      </div>
      <p className="progress" role="status" aria-live="polite" data-testid="progress">
        {phase === 'idle' && (backendReady ? 'Ready. Click Train to train both recipes side by side.' : 'Starting the training engine…')}
        {phase === 'starting' && !loading && !masking && 'Preparing data, mask and initial weights…'}
        {phase === 'starting' && masking && (
          <>
            <progress max={1} value={masking.fraction} aria-label="Computing the mask" /> {masking.message}
          </>
        )}
        {phase === 'starting' && loading && (
          <>
            <progress max={1} value={loading.fraction} aria-label="Loading data" /> {loading.message}
          </>
        )}
        {phase === 'training' && !progress && !lrsiProgress && 'Training the first steps (the first ones compile the GPU programs)…'}
        {(phase === 'training' || phase === 'paused') && !progress && lrsiProgress && (
          <>
            {phase === 'paused' ? 'Paused · ' : ''}Rescaling the ToST initialisation (LRsI): GradInit iteration {lrsiProgress.iteration} of {lrsiProgress.iterations}…
          </>
        )}
        {info && progress && phase !== 'starting' && (
          <>
            {phase === 'paused' ? 'Paused · ' : phase === 'completed' ? 'Finished · ' : phase === 'stopped' ? 'Stopped · ' : ''}
            Epoch {Math.min(Math.floor(progress.epoch) + (phase === 'completed' ? 0 : 1), info.epochs)} of {info.epochs} · step{' '}
            {progress.step.toLocaleString('en-US')} of {info.totalSteps.toLocaleString('en-US')}
            {phase === 'training' && (
              <>
                {' '}
                · {formatRate(progress.stepsPerSecond)} steps/s · {formatRate(progress.imagesPerSecond)} images/s
              </>
            )}
          </>
        )}
        {phase === 'failed' && <span className="error-text">Training failed: {runError}</span>}
        {importProblem && <span className="error-text"> {importProblem}</span>}
        {problems.length > 0 && (
          <span className="error-text">
            {' '}
            Fix the settings to train: {problems.map(describeIssue).join('; ')}.
          </span>
        )}
      </p>
      {progress && (
        <span className="tensor-count" data-testid="tensor-count" data-count={progress.tensorCount} hidden>
          {progress.tensorCount}
        </span>
      )}
    </section>
  );
}
