import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testLoadContext } from '../data/assets.test-support';
import { defaultExperiment, type Experiment } from '../experiment/schema';
import { prepareBackends } from '../kernels/testing/backend-parity';
import { drivePairedSession } from './driver';
import type { SessionEvent } from './events';
import { RunControl } from './run-control';
import { PairedSession } from './session';

/** LRsI inside a paired run: only the ToST side is rescaled, after the mask, before the first step. */

const small: Experiment = { ...defaultExperiment, samples: 600, hidden: [32, 32, 32], batchSize: 16, seed: 3, lrsi: true, lrsiIters: 20, denseLayers: 'none' };
/** A ResNet-20 with ghost skips and BatchNorm, a few channels wide, on a slice of MNIST (on WASM: the CPU backend's convolutions are far too slow). */
const resnet: Experiment = { ...defaultExperiment, dataset: 'mnist', arch: 'resnet20', width: 0.125, trainLimit: 200, batchSize: 8, epochs: 1, lrsi: true, lrsiIters: 3, gsc: true };

const zeros = (values: Float32Array) => values.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);

beforeAll(async () => {
  await prepareBackends();
  await tf.setBackend('cpu');
});

describe('LRsI in a paired session', () => {
  it.each([
    ['an MLP', small, 'cpu'],
    ['a ResNet-20 with ghost skips and BatchNorm', resnet, 'wasm'],
  ])('rescales only ToST, tensor by tensor, keeping its zeros, ghosts and BatchNorm statistics (%s)', async (_, experiment, backend) => {
    await tf.setBackend(backend);
    const session = await PairedSession.create(experiment, testLoadContext());
    const initial = await session.runs.get('tost')!.readWeights();
    const initialBuffers = await session.runs.get('tost')!.readBuffers();
    const outcomes = await session.rescaleInitialization();
    const tost = await session.runs.get('tost')!.readWeights();
    const tostBuffers = await session.runs.get('tost')!.readBuffers();
    const defaults = await session.runs.get('default')!.readWeights();
    const network = session.runs.get('tost')!.network;
    const scales = new Map(outcomes.get('tost')!.scales.map((s) => [s.name, s.scale]));
    expect(outcomes.has('default')).toBe(false);
    expect(scales.size).toBeGreaterThan(0);

    network.params.forEach((param, i) => {
      const scale = scales.get(param.name);
      if (param.ghost || param.role === 'bn-bias') expect(scale).toBeUndefined();
      // Every tensor is its initial value times one scale, so zeros stay zeros and nothing else becomes zero.
      const expected = initial[i]!.map((v) => Math.fround(v * Math.fround(scale ?? 1)));
      expect(tost[i]).toEqual(expected);
      if (param.role === 'weight') expect(zeros(tost[i]!)).toBe(zeros(initial[i]!));
      const mask = session.masks.get(param.name);
      if (mask) mask.forEach((bit, j) => bit === 0 && expect(tost[i]![j]).toBe(0));
    });
    expect([...scales.values()].some((s) => s !== 1)).toBe(true);
    // The Default run's weights are the shared draw, untouched.
    const defaultNames = session.runs.get('default')!.network.params.map((p) => p.name);
    defaultNames.forEach((name, i) => expect(defaults[i]).toEqual(initial[network.params.findIndex((p) => p.name === name)]));
    expect(tostBuffers).toEqual(initialBuffers);
    session.dispose();
    await tf.setBackend('cpu');
  });

  it('leaves Default and the batch order as they are without LRsI', async () => {
    const losses = async (experiment: Experiment) => {
      const session = await PairedSession.create(experiment, testLoadContext());
      const result: number[][] = [];
      for (let i = 0; i < 15; i++) {
        const outcome = await session.trainStep();
        result.push([outcome.losses.get('default')!, outcome.losses.get('tost')!]);
      }
      const weights = await session.runs.get('default')!.readWeights();
      session.dispose();
      return { result, weights };
    };
    const withLrsi = await losses(small);
    const without = await losses({ ...small, lrsi: false });
    expect(withLrsi.result.map((pair) => pair[0])).toEqual(without.result.map((pair) => pair[0]));
    expect(withLrsi.weights).toEqual(without.weights);
    // trainStep ran GradInit itself: ToST started elsewhere.
    expect(withLrsi.result[0]![1]).not.toBe(without.result[0]![1]);
  });

  it('rescales once: a second call does nothing', async () => {
    const session = await PairedSession.create(small, testLoadContext());
    expect((await session.rescaleInitialization()).size).toBe(1);
    const after = await session.runs.get('tost')!.readWeights();
    expect((await session.rescaleInitialization()).size).toBe(0);
    await session.trainStep();
    expect(await session.runs.get('tost')!.readWeights()).not.toEqual(after);
    session.dispose();
  });
});

describe('LRsI through the driver', () => {
  const quick: Experiment = { ...small, epochs: 1, samples: 300 };

  it('reports every GradInit iteration, then the scales, before the first training step', async () => {
    const events: SessionEvent[] = [];
    const session = await PairedSession.create(quick, testLoadContext());
    const before = tf.memory().numTensors;
    await drivePairedSession(session, new RunControl(), (event) => events.push(event), { reportIntervalMs: 0 });
    expect(tf.memory().numTensors).toBe(before);
    session.dispose();
    const progress = events.flatMap((e) => (e.type === 'lrsi-progress' ? [e] : []));
    expect(progress.map((e) => e.iteration)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(progress.every((e) => e.recipe === 'tost' && e.iterations === 20)).toBe(true);
    const done = events.findIndex((e) => e.type === 'lrsi-done');
    const done_ = events[done] as Extract<SessionEvent, { type: 'lrsi-done' }>;
    expect(done_.scales.map((s) => s.name)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'fc3.weight', 'fc3.bias', 'fc4.weight', 'fc4.bias']);
    expect(done_.constraintSteps + done_.objectiveSteps).toBe(20);
    expect(done).toBeGreaterThan(events.findIndex((e) => e.type === 'started'));
    expect(done).toBeLessThan(events.findIndex((e) => e.type === 'loss'));
  });

  it('sends nothing about LRsI when it is off', async () => {
    const events: SessionEvent[] = [];
    const session = await PairedSession.create({ ...quick, lrsi: false }, testLoadContext());
    await drivePairedSession(session, new RunControl(), (event) => events.push(event), { reportIntervalMs: 0 });
    session.dispose();
    expect(events.some((e) => e.type.startsWith('lrsi'))).toBe(false);
  });

  it('pauses and stops between GradInit iterations, training nothing', async () => {
    const events: SessionEvent[] = [];
    const session = await PairedSession.create(quick, testLoadContext());
    const before = await session.runs.get('tost')!.readWeights();
    const control = new RunControl();
    const reason = await drivePairedSession(
      session,
      control,
      (event) => {
        events.push(event);
        if (event.type === 'lrsi-progress' && event.iteration === 5) {
          control.pause();
          setTimeout(() => control.stop(), 30);
        }
      },
      { reportIntervalMs: 0 },
    );
    expect(reason).toBe('stopped');
    expect(events.filter((e) => e.type === 'lrsi-progress').length).toBe(5);
    expect(events.some((e) => e.type === 'paused')).toBe(true);
    expect(events.some((e) => e.type === 'lrsi-done' || e.type === 'loss')).toBe(false);
    // A stopped GradInit leaves the weights as they were.
    expect(await session.runs.get('tost')!.readWeights()).toEqual(before);
    session.dispose();
  });
});
