import { describe, expect, it } from 'vitest';
import { DATASETS } from './catalog';
import { chanceAccuracy } from './dataset';
import { makeSynthetic, type SyntheticKind } from './synthetic';

describe('synthetic 2-D datasets', () => {
  it.each(DATASETS.filter((d) => d.kind === 'synthetic-2d').map((d) => d.id as SyntheticKind))('%s: sizes, classes and determinism', (kind) => {
    const options = { kind, samples: 1000, noise: 0.1, testFraction: 0.25, valFraction: 0.2, seed: 4 };
    const data = makeSynthetic(options);
    expect(data.test.count).toBe(250);
    expect(data.validation!.count).toBe(150);
    expect(data.train.count).toBe(600);
    expect(data.train.x.length).toBe(1200);
    expect(makeSynthetic({ ...options, valFraction: 0 }).validation).toBeNull();
    const catalog = DATASETS.find((d) => d.id === kind)!;
    expect(data.numClasses).toBe(catalog.classes);
    const labels = new Set([...data.train.y, ...data.test.y]);
    expect([...labels].sort()).toEqual(Array.from({ length: catalog.classes }, (_, i) => i));
    expect(data.train.x.every(Number.isFinite)).toBe(true);
    expect(makeSynthetic(options)).toEqual(data);
    expect(makeSynthetic({ ...options, seed: 5 }).train.x).not.toEqual(data.train.x);
    // Roughly balanced classes: chance is close to 1/C.
    expect(chanceAccuracy(data.test, data.numClasses)).toBeLessThan(1 / catalog.classes + 0.1);
  });
});
