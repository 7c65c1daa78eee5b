import { tinyImageNetFootprint, type ImportSettings } from '../../engine/data/import-settings';

const formatSize = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${Math.round(bytes / 1e6)} MB`);

/** What importing TinyImageNet at the experiment's Image size and Training images per class keeps, and the storage it takes. */
export function TinyImageNetFootprint(props: { settings: ImportSettings }) {
  const { trainCount, testCount, bytes } = tinyImageNetFootprint(props.settings);
  const full = tinyImageNetFootprint({ downsample: 1 });
  return (
    <p className="field-note" data-testid="import-footprint">
      Importing keeps {trainCount.toLocaleString('en-US')} training and {testCount.toLocaleString('en-US')} test images: about {formatSize(bytes)} in
      this browser (all of it at 64×64: {formatSize(full.bytes)}). Importing again replaces the stored copy.
    </p>
  );
}
