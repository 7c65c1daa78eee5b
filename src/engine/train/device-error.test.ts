import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testLoadContext } from '../data/assets.test-support';
import { defaultExperiment, type Experiment } from '../experiment/schema';
import { deviceError, selfCheck } from '../backend';
import { PairedSession } from './session';

/**
 * A GPU device that reports errors on its own, hung on the CPU backend: a
 * WebGPU device refusing a command (the work then reads back as zeros, with
 * no exception) must stop the run with a message, not draw a flat loss of 0.
 */
class FakeDevice {
  private readonly listeners: ((event: { error: { message: string } }) => void)[] = [];
  readonly lost = new Promise<{ reason: string; message: string }>(() => undefined);
  addEventListener(_type: 'uncapturederror', listener: (event: { error: { message: string } }) => void): void {
    this.listeners.push(listener);
  }
  fail(message: string): void {
    for (const listener of this.listeners) listener({ error: { message } });
  }
}

const small: Experiment = { ...defaultExperiment, mask: 'random', samples: 200, hidden: [16], batchSize: 16, seed: 1 };
const cpuBackend = () => tf.backend() as { device?: FakeDevice };

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  delete cpuBackend().device;
});

describe('a device that reports an error', () => {
  it('fails the self-check with its first report', async () => {
    const device = new FakeDevice();
    cpuBackend().device = device;
    expect(await selfCheck()).toBeNull();
    device.fail('The number of storage buffers (11) in the Compute stage exceeds the maximum per-stage limit (8).\n - While validating');
    device.fail('a later error');
    expect(deviceError()).toBe('The number of storage buffers (11) in the Compute stage exceeds the maximum per-stage limit (8).');
    expect(await selfCheck()).toMatch(/^the device reported an error: The number of storage buffers \(11\)/);
  });

  it('stops a training session at the next step, saying why', async () => {
    const device = new FakeDevice();
    cpuBackend().device = device;
    await selfCheck();
    const session = await PairedSession.create(small, testLoadContext());
    try {
      await session.trainStep();
      device.fail('Invalid CommandBuffer');
      await expect(session.trainStep()).rejects.toThrow(/GPU device reported an error.*Invalid CommandBuffer.*backend=wasm/);
    } finally {
      session.dispose();
    }
  });

  it('belongs to its device: another backend is trusted again', async () => {
    const device = new FakeDevice();
    cpuBackend().device = device;
    await selfCheck();
    device.fail('lost');
    expect(deviceError()).toBe('lost');
    delete cpuBackend().device;
    expect(deviceError()).toBeNull();
  });
});
