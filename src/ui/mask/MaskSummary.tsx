import { useLab } from '../store';
import { LayerDensityChart } from './LayerDensityChart';
import { MaskHeatmap } from './MaskHeatmap';
import { MaskRounds } from './MaskRounds';

/** What the mask keeps: totals, warnings, density per layer, one layer's picture and, for lottery tickets, the rounds. */
export function MaskSummary() {
  const info = useLab((state) => state.info);
  const rounds = useLab((state) => state.maskRounds);
  if (!info) return rounds.length > 0 ? <MaskRounds /> : null;
  const format = (n: number) => n.toLocaleString('en-US');
  return (
    <section className="mask-summary" data-testid="mask-summary" aria-label="Mask">
      <p>
        <strong>Mask:</strong> {format(info.keptParams)} of {format(info.totalParams)} parameters kept (
        {((info.keptParams / info.totalParams) * 100).toFixed(1)}%)
      </p>
      {info.maskWarnings.length > 0 && (
        <ul className="mask-warnings" aria-label="Mask warnings" data-testid="mask-warnings">
          {info.maskWarnings.map((warning) => (
            <li key={warning}>⚠ {warning}</li>
          ))}
        </ul>
      )}
      <MaskRounds />
      {info.maskLayers.length > 0 && (
        <div className="mask-pictures">
          <LayerDensityChart layers={info.maskLayers} />
          <MaskHeatmap layers={info.maskLayers} />
        </div>
      )}
      <details>
        <summary>Per layer</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Layer</th>
              <th scope="col">Weights</th>
              <th scope="col">Kept</th>
              <th scope="col">Density</th>
            </tr>
          </thead>
          <tbody>
            {info.layers.map((layer) => (
              <tr key={layer.name}>
                <td>{layer.name}</td>
                <td>{format(layer.size)}</td>
                <td>{format(layer.kept)}</td>
                <td>{((layer.kept / layer.size) * 100).toFixed(1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
