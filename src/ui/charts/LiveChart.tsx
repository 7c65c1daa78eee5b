import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RecipeId } from '../../worker/protocol';
import { RECIPE_COLORS, RECIPE_LABELS } from './colors';

export interface LiveChartProps {
  title: string;
  testId: string;
  series: Record<RecipeId, readonly { x: number; y: number }[]>;
  /** Labels for the legend, e.g. "ToST (diverged)". */
  suffix: Record<RecipeId, string>;
  yDomain?: [number | 'auto', number | 'auto'];
  yFormat?: (value: number) => string;
  maxEpoch: number;
  /** Accuracy of guessing, exposed for tests and screen readers. */
  chance?: number;
  /** Reference lines and areas drawn under the curves. */
  children?: ReactNode;
}

const compactNumber = (value: number) => (Math.abs(value) >= 100 ? value.toExponential(1) : value.toPrecision(3).replace(/\.?0+$/, ''));

/** A two-recipe line chart over epochs; no animation, so live updates are cheap. */
export function LiveChart({ title, testId, series, suffix, yDomain = ['auto', 'auto'], yFormat, maxEpoch, chance, children }: LiveChartProps) {
  const recipes: RecipeId[] = ['default', 'tost'];
  const points = series.default.length + series.tost.length;
  return (
    <figure className="chart" data-testid={testId} data-points-default={series.default.length} data-points-tost={series.tost.length} data-chance={chance}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="x" type="number" domain={[0, maxEpoch]} allowDecimals={false} tickCount={6} label={{ value: 'epoch', position: 'insideBottomRight', offset: -4 }} />
          <YAxis domain={yDomain} tickFormatter={yFormat ?? compactNumber} width={52} />
          <Tooltip formatter={(value) => (typeof value === 'number' && yFormat ? yFormat(value) : String(value))} labelFormatter={(x) => `epoch ${Number(x).toFixed(2)}`} />
          <Legend />
          {children}
          {recipes.map((recipe) => (
            <Line
              key={recipe}
              data={series[recipe] as { x: number; y: number }[]}
              dataKey="y"
              name={`${RECIPE_LABELS[recipe]}${suffix[recipe]}`}
              stroke={RECIPE_COLORS[recipe]}
              strokeWidth={2}
              dot={series[recipe].length < 30}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
      {points === 0 && <p className="chart-empty">No data yet.</p>}
    </figure>
  );
}
