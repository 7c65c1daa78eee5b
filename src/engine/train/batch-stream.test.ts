import { describe, expect, it } from 'vitest';
import { makeSynthetic } from '../data/synthetic';
import { TrainingBatchStream } from './batch-stream';
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
