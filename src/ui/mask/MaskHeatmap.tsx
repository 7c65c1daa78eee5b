import { useState } from 'react';
import type { MaskLayerPicture } from '../../worker/protocol';

/** The picture is about this many pixels on its longer side, whatever the layer's shape. */
const TARGET_PX = 240;
const cellSize = (count: number) => Math.max(3, Math.min(24, Math.floor(TARGET_PX / count)));

/** One layer's mask as units (rows) × inputs (columns); dark cells are kept weights (averaged when the layer is big). */
export function MaskHeatmap({ layers }: { layers: readonly MaskLayerPicture[] }) {
  const [chosen, setChosen] = useState(0);
  const layer = layers[Math.min(chosen, layers.length - 1)];
  if (!layer) return null;
  const { rows, cols, kept } = layer.grid;
  const averaged = rows < layer.units || cols < layer.fanIn;
  const cellW = cellSize(cols);
  const cellH = cellSize(rows);
  return (
    <figure className="chart mask-heatmap" data-testid="mask-heatmap">
      <figcaption>
        <label>
          Mask of{' '}
          <select value={chosen} onChange={(event) => setChosen(Number(event.target.value))} aria-label="Layer to show">
            {layers.map((l, i) => (
              <option key={l.name} value={i}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
      </figcaption>
      <svg
        width={cols * cellW}
        height={rows * cellH}
        viewBox={`0 0 ${cols * cellW} ${rows * cellH}`}
        role="img"
        aria-label={`${layer.name}: ${layer.units} units × ${layer.fanIn} inputs, ${layer.kept.toLocaleString('en-US')} of ${layer.size.toLocaleString('en-US')} weights kept`}
        data-cells={rows * cols}
      >
        <rect width={cols * cellW} height={rows * cellH} fill="#f1f5f9" />
        {kept.map((share, i) =>
          share > 0 ? (
            <rect key={i} x={(i % cols) * cellW} y={Math.floor(i / cols) * cellH} width={cellW} height={cellH} fill="#0f766e" fillOpacity={averaged ? Math.max(0.15, share) : 1} />
          ) : null,
        )}
      </svg>
      <p className="field-note">
        Rows are {layer.units} output units, columns their {layer.fanIn} inputs{averaged ? ' (each cell averages a block; darker keeps more)' : ''}.
        {layer.unitsWithoutInputs > 0 && ` ${layer.unitsWithoutInputs} units have no inputs left.`}
      </p>
    </figure>
  );
}
