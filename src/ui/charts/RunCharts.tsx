import { ReferenceLine } from 'recharts';
import type { RecipeId, RecipeStatus } from '../../worker/protocol';
import { useLab } from '../store';
import { LiveChart } from './LiveChart';

function suffixFor(status: RecipeStatus): string {
  if (status.state === 'diverged') return ' (diverged)';
  if (status.state === 'at-chance') return ' (at chance)';
  return '';
}

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** Training loss and test accuracy of both recipes, with chance level and the ghost-neuron schedule marked. */
export function RunCharts() {
  const loss = useLab((state) => state.loss);
  const evals = useLab((state) => state.evals);
  const status = useLab((state) => state.status);
  const info = useLab((state) => state.info);
  const experiment = useLab((state) => state.runExperiment ?? state.experiment);
  const suffix: Record<RecipeId, string> = { default: suffixFor(status.default), tost: suffixFor(status.tost) };
  const maxEpoch = experiment.epochs;
  const neuronsEnd = experiment.gsn && experiment.gsnSchedule !== 'reference' ? experiment.gsnEnd : null;
  const skipsEnd = experiment.gsc && experiment.gscSchedule === 'decay' ? experiment.gscEnd : null;
  const markers = (
    <>
      {neuronsEnd !== null && neuronsEnd <= maxEpoch && (
        <ReferenceLine x={neuronsEnd} stroke="#ea580c" strokeDasharray="4 4" label={{ value: 'ghost neurons → ReLU', position: 'insideTopLeft', fontSize: 11 }} />
      )}
      {skipsEnd !== null && skipsEnd <= maxEpoch && (
        <ReferenceLine
          x={skipsEnd}
          stroke="#9a3412"
          strokeDasharray="2 3"
          label={{ value: 'ghost skips removed', position: neuronsEnd === skipsEnd ? 'insideBottomLeft' : 'insideTopLeft', fontSize: 11 }}
        />
      )}
    </>
  );

  return (
    <div className="charts">
      <LiveChart title="Training loss (each recipe's own objective)" testId="loss-chart" series={loss} suffix={suffix} maxEpoch={maxEpoch}>
        {markers}
      </LiveChart>
      <LiveChart title="Test accuracy" testId="accuracy-chart" series={evals} suffix={suffix} yDomain={[0, 1]} yFormat={percent} maxEpoch={maxEpoch} chance={info?.chanceAccuracy}>
        {info && <ReferenceLine y={info.chanceAccuracy} stroke="#94a3b8" strokeDasharray="2 4" label={{ value: 'chance', position: 'insideBottomRight', fontSize: 11 }} />}
        {markers}
      </LiveChart>
    </div>
  );
}
