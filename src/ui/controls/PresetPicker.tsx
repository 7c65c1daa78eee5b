import { matchingPreset, type ProtocolPreset } from '../../engine/experiment/presets';
import { useLab } from '../store';

/** Applies one of a list of presets; shows which one the settings match, or "Custom". */
export function PresetPicker({ id, label, presets }: { id: string; label: string; presets: readonly ProtocolPreset[] }) {
  const experiment = useLab((state) => state.experiment);
  const replaceExperiment = useLab((state) => state.replaceExperiment);
  const current = matchingPreset(experiment, presets);
  return (
    <div className="field" title={current?.description ?? 'Settings of your own'}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={current?.id ?? ''}
        onChange={(event) => {
          const preset = presets.find((p) => p.id === event.target.value);
          if (preset) replaceExperiment({ ...experiment, ...preset.values });
        }}
      >
        <option value="" disabled>
          Custom
        </option>
        {presets.map((preset) => (
          <option key={preset.id} value={preset.id}>
            {preset.label}
          </option>
        ))}
      </select>
      {current && <p className="field-note">{current.description}</p>}
    </div>
  );
}
