import { DATASETS } from '../../engine/data/catalog';
import { tinyImageNetMismatch } from '../../engine/data/import-settings';
import type { Experiment } from '../../engine/experiment/schema';
import type { CachedDatasetInfo } from '../../worker/protocol';

/**
 * Why the experiment's dataset cannot be trained on from this browser's
 * storage: not imported yet, or (TinyImageNet) imported at other settings
 * than the experiment's. Null when it can, or while storage is unread.
 */
export function importProblem(experiment: Experiment, imported: readonly CachedDatasetInfo[] | null): string | null {
  const entry = DATASETS.find((d) => d.id === experiment.dataset);
  if (entry?.kind !== 'imported-image' || imported === null) return null;
  const stored = imported.find((d) => d.id === entry.id);
  if (!stored) return `Import ${entry.label.replace(' (import)', '')} under Data to train on it.`;
  return entry.id === 'tiny-imagenet' ? tinyImageNetMismatch(stored.choices, experiment) : null;
}
