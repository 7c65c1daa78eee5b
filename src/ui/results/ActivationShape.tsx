import { blendedValue } from '../../engine/tost/activation-shape';
import { useLab } from '../store';

const XS = Array.from({ length: 41 }, (_, i) => -4 + i * 0.2);
const SIZE = { width: 120, height: 64 };

/** The ToST network's current nonlinearity (solid) against ReLU (dashed), as the ghost-neuron blend moves. */
export function ActivationShape() {
  const experiment = useLab((state) => state.runExperiment ?? state.experiment);
  const lambda = useLab((state) => state.evals.tost.at(-1)?.reluShare ?? (experiment.gsn ? 0 : 1));
  if (!experiment.gsn) return null;
  const toX = (x: number) => ((x + 4) / 8) * SIZE.width;
  const toY = (y: number) => SIZE.height - ((y + 1) / 5) * SIZE.height;
  const path = (f: (x: number) => number) => XS.map((x, i) => `${i === 0 ? 'M' : 'L'}${toX(x).toFixed(1)},${toY(f(x)).toFixed(1)}`).join(' ');
  return (
    <figure className="activation-shape" aria-label={`Current activation: ${Math.round((1 - lambda) * 100)}% ${experiment.gsnActivation}, ${Math.round(lambda * 100)}% ReLU`}>
      <svg width={SIZE.width} height={SIZE.height} role="img">
        <line x1={0} x2={SIZE.width} y1={toY(0)} y2={toY(0)} stroke="#e2e8f0" />
        <line x1={toX(0)} x2={toX(0)} y1={0} y2={SIZE.height} stroke="#e2e8f0" />
        <path d={path((x) => Math.max(0, x))} fill="none" stroke="#94a3b8" strokeDasharray="3 3" />
        <path d={path((x) => blendedValue(experiment.gsnActivation, lambda, x, experiment.pswishBeta))} fill="none" stroke="#ea580c" strokeWidth={2} />
      </svg>
      <figcaption>
        {lambda >= 1 ? 'ReLU' : lambda <= 0 ? experiment.gsnActivation : `${experiment.gsnActivation} → ReLU, λ = ${lambda.toFixed(2)}`}
      </figcaption>
    </figure>
  );
}
