import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultExperiment, type Experiment } from '../experiment/schema';
import { drawInitialValues, PairedSession } from './session';
import { MaskCancelled, type MaskProgress } from '../masks/context';
import { MaskMemo } from '../masks/memo';
import { RunControl } from './run-control';
import { testLoadContext } from '../data/assets.test-support';

const small: Experiment = { ...defaultExperiment, mask: 'random', samples: 600, hidden: [32, 32, 32], batchSize: 16, seed: 3 };

async function trainSteps(session: PairedSession, steps: number): Promise<number[][]> {
  const losses: number[][] = [];
  for (let i = 0; i < steps; i++) {
    const outcome = await session.trainStep();
    losses.push(session.info.recipes.map((r) => outcome.losses.get(r.id)!));
  }
  return losses;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('paired session', () => {
  it('starts both recipes from the same masked weights, with exact per-layer density', async () => {
    const session = await PairedSession.create(small, testLoadContext());
    const [a, b] = await Promise.all([...session.runs.values()].map((run) => run.readWeights()));
    expect(a).toEqual(b);
    session.network.params.forEach((param, i) => {
      const mask = session.masks.get(param.name);
      // Only the hidden-to-hidden weights are masked by default.
      expect(mask !== undefined).toBe(param.role === 'weight' && param.position === 'hidden');
      if (mask) {
        expect(mask.reduce((s, v) => s + v, 0)).toBe(Math.round(mask.length * (1 - small.sparsity)));
        a![i]!.forEach((w, j) => {
          if (!mask[j]) expect(w).toBe(0);
        });
      }
    });
    session.dispose();
  });

  it('keeps pruned weights exactly zero over 200 steps of SGD with momentum and weight decay', async () => {
    const session = await PairedSession.create({ ...small, weightDecay: 0.005, denseLayers: 'none' as const }, testLoadContext());
    await trainSteps(session, 200);
    for (const run of session.runs.values()) {
      const weights = await run.readWeights();
      session.network.params.forEach((param, i) => {
        const mask = session.masks.get(param.name);
        if (!mask) return;
        let prunedNonZero = 0;
        let keptMoved = 0;
        mask.forEach((bit, j) => {
          if (!bit && weights[i]![j] !== 0) prunedNonZero++;
          if (bit && weights[i]![j] !== 0) keptMoved++;
        });
        expect(prunedNonZero).toBe(0);
        expect(keptMoved).toBeGreaterThan(0);
      });
    }
    session.dispose();
  });

  it('keeps the tensor count flat over 200 steps and evaluations', async () => {
    const session = await PairedSession.create(small, testLoadContext());
    await trainSteps(session, 5);
    await session.evaluate();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      await trainSteps(session, 10);
      await session.evaluate();
    }
    expect(tf.memory().numTensors).toBe(before);
    session.dispose();
  });

  it('gives identical losses for the same seed, and different ones for another seed', async () => {
    const run = async (experiment: Experiment) => {
      const session = await PairedSession.create(experiment, testLoadContext());
      const losses = await trainSteps(session, 40);
      session.dispose();
      return losses;
    };
    const first = await run(small);
    expect(await run(small)).toEqual(first);
    expect(await run({ ...small, seed: 4 })).not.toEqual(first);
    // The recipes differ (ToST uses swish and smoothed labels), so their losses do too.
    expect(first.map((pair) => pair[0])).not.toEqual(first.map((pair) => pair[1]));
  });

  it('learns: with the default experiment both recipes end well above chance on spirals', async () => {
    const session = await PairedSession.create(defaultExperiment, testLoadContext());
    while (!session.finished) await session.trainStep();
    const results = await session.evaluate();
    const chance = session.info.chanceAccuracy;
    session.dispose();
    expect(results.get('default')!.test.accuracy).toBeGreaterThan(chance + 0.35);
    // On this toy task the swish ghost neurons learn more slowly; still clearly above chance.
    expect(results.get('tost')!.test.accuracy).toBeGreaterThan(chance + 0.2);
    expect(results.get('default')!.validation!.accuracy).toBeGreaterThan(chance + 0.35);
  });

  it('trains on shipped MNIST through the same path as the app, far above chance', async () => {
    // A few GradInit iterations: enough to take the LRsI path, cheap next to two epochs.
    const experiment: Experiment = { ...defaultExperiment, dataset: 'mnist', trainLimit: 2000, hidden: [128, 128], epochs: 2, batchSize: 64, gsnEnd: 1, gscEnd: 1, lrsiIters: 5 };
    const session = await PairedSession.create(experiment, testLoadContext());
    expect(session.dataset.inputShape).toEqual([28, 28, 1]);
    expect(session.info.trainCount).toBe(2000);
    expect(session.dataset.validation!.count).toBe(6000);
    expect(session.info.testCount).toBe(10000);
    while (!session.finished) await session.trainStep();
    const results = await session.evaluate();
    session.dispose();
    for (const [, result] of results) expect(result.test.accuracy).toBeGreaterThan(0.7);
  });

  it('releases every tensor on dispose', async () => {
    const before = tf.memory().numTensors;
    const session = await PairedSession.create(small, testLoadContext());
    await trainSteps(session, 3);
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('starts both recipes from a rewound lottery ticket, masked, and reuses a remembered mask', async () => {
    const experiment: Experiment = { ...small, mask: 'imp', sparsity: 0.5, impRewind: 1, pretrainEpochs: 1, denseLayers: 'classifier' };
    const memo = new MaskMemo();
    const progress: MaskProgress[] = [];
    const session = await PairedSession.create(experiment, testLoadContext(), { memo, onMaskProgress: (p) => progress.push(p) });
    expect(progress.filter((p) => p.round).map((p) => p.round!.round)).toEqual([1, 2, 3, 4]);
    const rewound = memo.get(experiment)!.startValues!;
    const [a, b] = await Promise.all([...session.runs.values()].map((run) => run.readWeights()));
    expect(a).toEqual(b);
    session.network.params.forEach((param, i) => {
      const mask = session.masks.get(param.name);
      const expected = rewound.get(param.name)!.map((w, j) => (mask && !mask[j] ? 0 : w));
      expect(a![i]).toEqual(expected);
    });
    // The fresh draw differs from the rewound weights: the rewind really replaced it.
    expect(drawInitialValues(session.network, experiment.seed)[0]).not.toEqual(rewound.get(session.network.params[0]!.name));
    session.dispose();
    progress.length = 0;
    const again = await PairedSession.create({ ...experiment, lsAlpha: 0.2 }, testLoadContext(), { memo, onMaskProgress: (p) => progress.push(p) });
    expect(progress).toEqual([]);
    expect(again.masks).toBe(session.masks);
    again.dispose();
  });

  it('stops during the mask computation when the run is stopped', async () => {
    const control = new RunControl();
    const experiment: Experiment = { ...small, mask: 'synflow', synflowIters: 50 };
    const before = tf.memory().numTensors;
    const pending = PairedSession.create(experiment, testLoadContext(), {
      control,
      onMaskProgress: (p) => {
        if (p.fraction > 0.1) control.stop();
      },
    });
    await expect(pending).rejects.toBeInstanceOf(MaskCancelled);
    expect(tf.memory().numTensors).toBe(before);
  });
});
