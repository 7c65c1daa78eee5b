import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RecipeId } from '../../worker/protocol';
import { RECIPE_COLORS } from '../charts/colors';
import { useLab } from '../store';

/** Scale labels short enough for a bar: `layer1.0.conv1.weight` → `layer1.0.conv1.w`. */
const shortName = (name: string) => name.replace(/\.weight$/, '.w').replace(/\.bias$/, '.b');

/**
 * LRsI on a recipe card: GradInit's progress while it runs, then the scale it
 * learned for each tensor (1 = unchanged), in network order.
 */
export function LrsiScales({ recipe }: { recipe: RecipeId }) {
  const { progress, outcome } = useLab((state) => state.lrsi[recipe]);
  const phase = useLab((state) => state.phase);
  if (!progress && !outcome) return null;
  if (!outcome) {
    const stopped = phase === 'stopped' || phase === 'failed';
    return (
      <p className="lrsi-progress" data-testid={`lrsi-progress-${recipe}`}>
        {stopped ? 'LRsI stopped at' : 'Rescaling the initialisation (LRsI):'} iteration {progress!.iteration} of {progress!.iterations}
        {progress!.objective !== null ? `, look-ahead objective ${progress!.objective.toFixed(3)}` : `, lowering ‖g‖ = ${progress!.gradNorm.toFixed(3)}`}
      </p>
    );
  }
  const data = outcome.scales.map((s) => ({ name: shortName(s.name), full: s.name, scale: s.scale }));
  const labelled = data.length <= 8;
  return (
    <figure className="lrsi-scales" data-testid={`lrsi-scales-${recipe}`} data-bars={data.length}>
      <figcaption>
        LRsI scale per layer <span className="lrsi-note">({outcome.iterations} GradInit iterations, {outcome.constraintSteps} on the gradient-norm bound)</span>
      </figcaption>
      <ResponsiveContainer width="100%" height={150}>
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
          {/* Names fit under a few bars; a deep network's are in the tooltip. */}
          <XAxis dataKey="name" interval={0} tick={labelled ? { fontSize: 10 } : false} height={labelled ? 18 : 4} />
          <YAxis width={40} domain={[0, 'auto']} tick={{ fontSize: 11 }} tickFormatter={(v: number) => v.toPrecision(2).replace(/\.0+$|(\.\d*?)0+$/, '$1')} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? value.toFixed(3) : String(value))} labelFormatter={(_, payload) => payload?.[0]?.payload?.full ?? ''} />
          <ReferenceLine y={1} stroke="#94a3b8" strokeDasharray="3 3" />
          <Bar dataKey="scale" name="scale α" fill={RECIPE_COLORS[recipe]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
