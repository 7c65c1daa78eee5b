import { TINY_IMAGENET, tinyImageNetFootprint, type ImportSettings } from '../../engine/data/import-settings';

const PER_CLASS = [100, 250, TINY_IMAGENET.trainPerClass] as const;
const formatSize = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${Math.round(bytes / 1e6)} MB`);

/** What to keep of TinyImageNet before importing it: image size and training images per class, with the storage it takes. */
export function TinyImageNetChoices(props: { settings: ImportSettings; onChange: (settings: ImportSettings) => void; disabled: boolean }) {
  const { settings, onChange, disabled } = props;
  const { trainCount, testCount, bytes } = tinyImageNetFootprint(settings);
  const full = tinyImageNetFootprint({ downsample: 1 });
  return (
    <div className="import-choices" data-testid="tiny-imagenet-choices">
      <div className="field">
        <label htmlFor="import-downsample">Image size</label>
        <select
          id="import-downsample"
          value={settings.downsample ?? 1}
          disabled={disabled}
          onChange={(event) => onChange({ ...settings, downsample: Number(event.target.value) as 1 | 2 })}
        >
          <option value={2}>32×32 (downsampled 2×)</option>
          <option value={1}>64×64 (as published)</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="import-per-class">Training images per class</label>
        <select
          id="import-per-class"
          value={settings.trainPerClass ?? TINY_IMAGENET.trainPerClass}
          disabled={disabled}
          onChange={(event) => {
            const perClass = Number(event.target.value);
            onChange({ ...settings, trainPerClass: perClass >= TINY_IMAGENET.trainPerClass ? null : perClass });
          }}
        >
          {PER_CLASS.map((n) => (
            <option key={n} value={n}>
              {n === TINY_IMAGENET.trainPerClass ? `${n} (all)` : n}
            </option>
          ))}
        </select>
      </div>
      <p className="field-note" data-testid="import-footprint">
        Keeps {trainCount.toLocaleString('en-US')} training and {testCount.toLocaleString('en-US')} test images: about {formatSize(bytes)} in
        this browser (all of it at 64×64: {formatSize(full.bytes)}). Importing again replaces the stored copy.
      </p>
    </div>
  );
}
