import { Rng } from '../train/rng';
import type { Dataset, Split } from './dataset';

/** The 2-D toy problems of the instant demo, generated from the experiment seed. */
export type SyntheticKind = 'spirals' | 'moons' | 'circles' | 'xor';

export interface SyntheticOptions {
  kind: SyntheticKind;
  samples: number;
  noise: number;
  testFraction: number;
  /** Share of the remaining (non-test) samples held out for validation. */
  valFraction: number;
  seed: number;
}

type Point = [x: number, y: number, label: number];

const generators: Record<SyntheticKind, { classes: number; point: (i: number, rng: Rng) => Point }> = {
  spirals: {
    classes: 3,
    point(i, rng) {
      const label = i % 3;
      const t = rng.next();
      const radius = 0.1 + 0.9 * t;
      const angle = (label * 2 * Math.PI) / 3 + t * 1.75 * Math.PI;
      return [radius * Math.cos(angle), radius * Math.sin(angle), label];
    },
  },
  moons: {
    classes: 2,
    point(i, rng) {
      const label = i % 2;
      const angle = Math.PI * rng.next();
      return label === 0
        ? [Math.cos(angle) - 0.5, Math.sin(angle) - 0.25, 0]
        : [0.5 - Math.cos(angle), 0.25 - Math.sin(angle), 1];
    },
  },
  circles: {
    classes: 2,
    point(i, rng) {
      const label = i % 2;
      const radius = label === 0 ? 0.35 * Math.sqrt(rng.next()) : 0.65 + 0.3 * rng.next();
      const angle = 2 * Math.PI * rng.next();
      return [radius * Math.cos(angle), radius * Math.sin(angle), label];
    },
  },
  xor: {
    classes: 2,
    point(_i, rng) {
      const x = rng.uniform(-1, 1);
      const y = rng.uniform(-1, 1);
      return [x, y, x * y >= 0 ? 0 : 1];
    },
  },
};

function toSplit(points: Point[]): Split {
  const x = new Float32Array(points.length * 2);
  const y = new Int32Array(points.length);
  points.forEach(([px, py, label], i) => {
    x[2 * i] = px;
    x[2 * i + 1] = py;
    y[i] = label;
  });
  return { x, y, count: points.length };
}

/** Balanced classes, Gaussian noise on the coordinates, a seeded shuffle before the split. */
export function makeSynthetic(options: SyntheticOptions): Dataset {
  const { kind, samples, noise, testFraction, valFraction, seed } = options;
  const generator = generators[kind];
  const rng = Rng.stream(seed, 'data');
  const points: Point[] = [];
  for (let i = 0; i < samples; i++) {
    const [x, y, label] = generator.point(i, rng);
    points.push([x + noise * rng.normal(), y + noise * rng.normal(), label]);
  }
  const order = rng.permutation(samples);
  const shuffled = Array.from(order, (index) => points[index]!);
  const testCount = Math.round(samples * testFraction);
  const valCount = Math.round((samples - testCount) * valFraction);
  return {
    id: kind,
    inputShape: [2],
    numClasses: generator.classes,
    train: toSplit(shuffled.slice(testCount + valCount)),
    validation: valCount > 0 ? toSplit(shuffled.slice(testCount, testCount + valCount)) : null,
    test: toSplit(shuffled.slice(0, testCount)),
  };
}
