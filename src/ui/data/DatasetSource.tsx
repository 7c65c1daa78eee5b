import { BUNDLED_DATASETS, type BundledDatasetId } from '../../engine/data/bundled-catalog';
import { useLab } from '../store';

/** Says where a shipped dataset's files come from, so a user knows what the lab trains on. */
export function DatasetSource() {
  const dataset = useLab((state) => state.experiment.dataset);
  if (!(dataset in BUNDLED_DATASETS)) return null;
  const { source } = BUNDLED_DATASETS[dataset as BundledDatasetId];
  return (
    <p className="field-note" data-testid="dataset-source">
      Shipped with the app: {source}.
    </p>
  );
}
