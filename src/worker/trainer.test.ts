import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { defaultExperiment, type Experiment } from '../engine/experiment/schema';
import type { SessionEvent } from './protocol';
import { testLoadContext } from '../engine/data/assets.test-support';
import { createTrainer } from './trainer';

const host = { wasmThreads: () => null, load: testLoadContext() };

const quick: Experiment = { ...defaultExperiment, samples: 400, epochs: 3, gsnEnd: 2, hidden: [8, 8], batchSize: 50 };

describe('trainer API (the worker side of the protocol)', () => {
  it('picks a working backend and reports the ones it skipped', async () => {
    const trainer = createTrainer(host);
    const report = await trainer.initBackend(null);
    // Node has neither WebGPU nor WebGL: they are skipped with a reason.
    expect(['wasm', 'cpu']).toContain(report.backend);
    expect(report.skipped.map((s) => s.backend)).toEqual(expect.arrayContaining(['webgpu', 'webgl']));
    for (const skipped of report.skipped) expect(skipped.reason.length).toBeGreaterThan(0);
    expect(tf.getBackend()).toBe(report.backend);
  });

  it('honours a forced backend', async () => {
    const report = await createTrainer(host).initBackend('cpu');
    expect(report).toMatchObject({ backend: 'cpu', forced: 'cpu', skipped: [] });
  });

  it('rejects an invalid experiment with the field named', async () => {
    const trainer = createTrainer(host);
    await expect(trainer.train({ ...quick, sparsity: 2 }, () => undefined)).rejects.toThrow(/Sparsity/);
  });

  it('trains to completion, and a new run stops the previous one', async () => {
    await tf.setBackend('cpu');
    const trainer = createTrainer(host);
    const events: SessionEvent[] = [];
    let trainingStarted: () => void = () => undefined;
    const firstLoss = new Promise<void>((resolve) => (trainingStarted = resolve));
    const first = trainer.train({ ...quick, epochs: 200 }, (event) => {
      events.push(event);
      if (event.type === 'loss') trainingStarted();
    });
    // The second run starts once the first is training (after its LRsI).
    await firstLoss;
    const second = trainer.train(quick, () => undefined);
    await expect(first).resolves.toEqual({ reason: 'stopped' });
    await expect(second).resolves.toEqual({ reason: 'completed' });
    expect(events.some((e) => e.type === 'loss')).toBe(true);
  });
});
