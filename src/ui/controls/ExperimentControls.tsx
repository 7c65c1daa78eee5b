import { FIELD_GROUPS, isRelevant } from '../../engine/experiment/layout';
import { FIELD_KEYS, FIELDS } from '../../engine/experiment/schema';
import { useLab } from '../store';
import { FieldControl } from './FieldControl';
import { DatasetImport } from '../data/DatasetImport';
import { DatasetSource } from '../data/DatasetSource';
import { ModelSize } from './ModelSize';
import { PROTOCOL_PRESETS, RECIPE_PRESETS } from '../../engine/experiment/presets';
import { PresetPicker } from './PresetPicker';

/** Every setting of the experiment, generated from the schema, in its groups. */
export function ExperimentControls() {
  const experiment = useLab((state) => state.experiment);
  const restoreDefaults = useLab((state) => state.restoreDefaults);
  const runExperiment = useLab((state) => state.runExperiment);
  const phase = useLab((state) => state.phase);
  const edited = runExperiment !== null && runExperiment !== experiment && (phase === 'training' || phase === 'paused');

  return (
    <aside className="controls" aria-label="Experiment settings">
      {edited && <p className="hint">Changed settings apply when you start the next run.</p>}
      {FIELD_GROUPS.map((group) => (
        <fieldset key={group.id} className={`group group-${group.id}`}>
          <legend>{group.label}</legend>
          {group.id === 'training' && <PresetPicker id="protocol-preset" label="Protocol preset" presets={PROTOCOL_PRESETS} />}
          {group.id === 'tost' && <PresetPicker id="recipe-preset" label="Recipe preset" presets={RECIPE_PRESETS} />}
          {FIELD_KEYS.filter((key) => FIELDS[key].group === group.id && isRelevant(key, experiment)).map((key) => (
            <FieldControl key={key} fieldKey={key} />
          ))}
          {group.id === 'model' && <ModelSize />}
          {group.id === 'data' && <DatasetSource />}
          {group.id === 'data' && <DatasetImport />}
        </fieldset>
      ))}
      <button type="button" className="link-button" onClick={restoreDefaults}>
        Restore default settings
      </button>
    </aside>
  );
}
