import { matchingPreset, PROTOCOL_PRESETS } from '../../engine/experiment/presets';
import { useLab } from '../store';

/** Applies a training protocol to both recipes; shows which one the settings match, or "Custom". */
export function ProtocolPresets() {
  const experiment = useLab((state) => state.experiment);
  const replaceExperiment = useLab((state) => state.replaceExperiment);
  const current = matchingPreset(experiment);
  return (
    <div className="field" title={current?.description ?? 'Settings of your own'}>
      <label htmlFor="protocol-preset">Protocol preset</label>
      <select
        id="protocol-preset"
        value={current?.id ?? ''}
        onChange={(event) => {
          const preset = PROTOCOL_PRESETS.find((p) => p.id === event.target.value);
          if (preset) replaceExperiment({ ...experiment, ...preset.values });
        }}
      >
        <option value="" disabled>
          Custom
        </option>
        {PROTOCOL_PRESETS.map((preset) => (
          <option key={preset.id} value={preset.id}>
            {preset.label}
          </option>
        ))}
      </select>
      {current && <p className="field-note">{current.description}</p>}
    </div>
  );
}
