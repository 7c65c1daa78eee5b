import { describe, expect, it } from 'vitest';
import { makeSynthetic } from '../data/synthetic';
import { EpochBatches, TrainingBatchStream } from './batch-stream';
import { Rng } from './rng';

describe('training batch stream', () => {
  const dataset = makeSynthetic({ kind: 'moons', samples: 100, noise: 0.1, testFraction: 0.3, valFraction: 0, seed: 2 });

  it('hands out full batches that visit every example once per pass, across pass boundaries', () => {
    const stream = new TrainingBatchStream(dataset, 16, Rng.stream(1, 'a'), Rng.stream(1, 'b'));
    const count = dataset.train.count;
    expect(count).toBe(70);
    const seen: number[] = [];
    // 35 batches of 16 = 8 passes over 70 examples.
    for (let i = 0; i < 35; i++) {
      const batch = stream.next();
      expect(batch.y.length).toBe(16);
      expect(batch.x.length).toBe(32);
      for (let j = 0; j < 16; j++) seen.push(batch.x[2 * j]!);
    }
    const sortedTrain = Array.from({ length: count }, (_, i) => dataset.train.x[2 * i]!).sort((a, b) => a - b);
    for (let pass = 0; pass < 8; pass++) {
      expect(seen.slice(pass * count, (pass + 1) * count).sort((a, b) => a - b)).toEqual(sortedTrain);
    }
  });

  it('is determined by its random streams', () => {
    const draw = (seed: number) => new TrainingBatchStream(dataset, 8, Rng.stream(seed, 'a'), Rng.stream(seed, 'b')).next().y;
    expect(draw(1)).toEqual(draw(1));
    expect(Array.from(draw(1))).not.toEqual(Array.from(draw(2)));
  });
});

describe('epoch batches', () => {
  const dataset = makeSynthetic({ kind: 'moons', samples: 100, noise: 0.1, testFraction: 0.3, valFraction: 0, seed: 2 });
  const firstFeature = (x: ArrayLike<number>) => Array.from({ length: x.length / 2 }, (_, i) => x[2 * i]!);

  it('visits every example once per epoch, the last batch keeping the remainder, a new order each epoch', () => {
    const batches = new EpochBatches(dataset, 16, Rng.stream(1, 'a'), Rng.stream(1, 'b'));
    expect(batches.stepsPerEpoch).toBe(5); // 70 examples: 4 × 16 + 6
    const epochs: number[][] = [[], []];
    const sizes: number[] = [];
    for (let step = 0; step < 10; step++) {
      const batch = batches.batch(step);
      sizes.push(batch.y.length);
      epochs[Math.floor(step / 5)]!.push(...firstFeature(batch.x));
    }
    expect(sizes).toEqual([16, 16, 16, 16, 6, 16, 16, 16, 16, 6]);
    const sortedTrain = firstFeature(dataset.train.x).sort((a, b) => a - b);
    for (const epoch of epochs) expect([...epoch].sort((a, b) => a - b)).toEqual(sortedTrain);
    expect(epochs[0]).not.toEqual(epochs[1]);
  });

  it('refuses steps out of order, which would silently change the batches', () => {
    const batches = new EpochBatches(dataset, 16, Rng.stream(1, 'a'), Rng.stream(1, 'b'));
    batches.batch(0);
    expect(() => batches.batch(2)).toThrow(/batch 2 asked for, 1 is next/);
  });
});
