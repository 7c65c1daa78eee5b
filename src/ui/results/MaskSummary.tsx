import { useLab } from '../store';

/** How many parameters the mask keeps, overall and per layer. */
export function MaskSummary() {
  const info = useLab((state) => state.info);
  if (!info) return null;
  const format = (n: number) => n.toLocaleString('en-US');
  return (
    <details className="mask-summary" data-testid="mask-summary">
      <summary>
        {format(info.keptParams)} of {format(info.totalParams)} parameters kept ({((info.keptParams / info.totalParams) * 100).toFixed(1)}%)
      </summary>
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
  );
}
