import { useEffect, useState } from 'react';
import { validateExperiment } from '../../engine/experiment/validation';
import type { ModelSummary } from '../../worker/protocol';
import { describeModel } from '../run/controller';
import { useLab } from '../store';

const format = (n: number) => n.toLocaleString('en-US');

/** "61,706 parameters · 9,410 kept (15.2%)" under the architecture picker, updated as settings change. */
export function ModelSize() {
  const experiment = useLab((state) => state.experiment);
  const backendReady = useLab((state) => state.backend.state === 'ready');
  // A new or deleted import may change the input size (TinyImageNet stored downsampled).
  const imported = useLab((state) => state.imported);
  const [summary, setSummary] = useState<ModelSummary | { error: string } | null>(null);
  useEffect(() => {
    if (!backendReady || !validateExperiment(experiment).ok) {
      setSummary(null);
      return;
    }
    let current = true;
    const timer = window.setTimeout(() => {
      void describeModel(experiment).then((result) => {
        if (current) setSummary(result);
      });
    }, 120);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [experiment, backendReady, imported]);

  if (!summary) return null;
  if ('error' in summary) return <p className="field-note field-error">{summary.error}</p>;
  return (
    <p className="field-note" data-testid="model-size">
      {format(summary.totalParams)} parameters · {format(summary.keptParams)} kept ({((summary.keptParams / summary.totalParams) * 100).toFixed(1)}%)
    </p>
  );
}
