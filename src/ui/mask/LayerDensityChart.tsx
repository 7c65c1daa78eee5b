import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MaskLayerPicture } from '../../worker/protocol';

const percent = (value: number) => `${(value * 100).toFixed(value < 0.01 ? 2 : 1)}%`;

/** Kept share of each masked layer, in network order. */
export function LayerDensityChart({ layers }: { layers: readonly MaskLayerPicture[] }) {
  const data = layers.map((layer) => ({ name: layer.name.replace(/\.weight$/, ''), density: layer.kept / layer.size }));
  return (
    <figure className="chart" data-testid="density-chart" data-layers={layers.length}>
      <figcaption>Density per layer</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="name" interval="preserveStartEnd" tick={{ fontSize: 11 }} />
          <YAxis domain={[0, 'auto']} tickFormatter={percent} width={56} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? percent(value) : String(value))} />
          <Bar dataKey="density" name="kept" fill="#0f766e" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
