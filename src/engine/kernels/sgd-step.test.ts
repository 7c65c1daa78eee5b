import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sgdUpdate } from '../train/sgd';
import { Rng } from '../train/rng';
import { sgdStepReady } from './sgd-step';
import { prepareBackends, randomValues } from './testing/backend-parity';

interface SgdCase {
  readonly size: number;
  readonly steps: number;
  readonly lr: number;
  readonly momentum: number | null;
  readonly weightDecay: number;
  readonly masked: boolean;
  readonly seed: number;
}

const cases: fc.Arbitrary<SgdCase> = fc.record({
  size: fc.integer({ min: 1, max: 70 }),
  steps: fc.integer({ min: 1, max: 4 }),
  lr: fc.double({ min: 1e-4, max: 1, noNaN: true }),
  momentum: fc.option(fc.double({ min: 0, max: 0.99, noNaN: true })),
  weightDecay: fc.constantFrom(0, 5e-4, 0.1),
  masked: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

/** Weights and buffer after `steps` masked SGD steps, the last step's Σ|w'|, and the tensors left over. */
async function trained(backend: 'cpu' | 'wasm', c: SgdCase) {
  await tf.setBackend(backend);
  const rng = new Rng(c.seed);
  const weight = tf.variable(tf.tensor1d(randomValues([c.size], rng)));
  const buffer = c.momentum === null ? null : tf.variable(tf.tensor1d(randomValues([c.size], rng)));
  const mask = c.masked ? tf.tensor1d(Float32Array.from({ length: c.size }, () => (rng.next() < 0.5 ? 1 : 0))) : null;
  const gradients = Array.from({ length: c.steps }, () => randomValues([c.size], rng));
  const tensorsBefore = tf.memory().numTensors;
  let weightMass = Number.NaN;
  for (const gradient of gradients) {
    weightMass = tf.tidy(() => sgdUpdate(weight, tf.tensor1d(gradient), buffer, mask, { lr: c.lr, momentum: c.momentum ?? 0, weightDecay: c.weightDecay }).dataSync()[0]!);
  }
  const result = { weight: weight.dataSync().slice(), buffer: buffer?.dataSync().slice() ?? null, weightMass, leaked: tf.memory().numTensors - tensorsBefore };
  tf.dispose([weight, ...(buffer ? [buffer] : []), ...(mask ? [mask] : [])]);
  return result;
}

describe('SGD step fused on wasm', () => {
  beforeAll(prepareBackends);

  it('runs fused on wasm', async () => {
    await tf.setBackend('wasm');
    expect(sgdStepReady(tf.zeros([3]))).toBe(true);
    await tf.setBackend('cpu');
    expect(sgdStepReady(tf.zeros([3]))).toBe(false);
  });

  it('gives bit for bit the composed step’s weights and buffer, with or without mask, momentum and decay, any length', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const wasm = await trained('wasm', c);
        const cpu = await trained('cpu', c);
        expect(wasm.weight).toEqual(cpu.weight);
        expect(wasm.buffer).toEqual(cpu.buffer);
        // Σ|w'| summed in another order: equal to float32 roundoff.
        const exact = Array.from(wasm.weight, Math.abs).reduce((sum, w) => sum + w, 0);
        expect(Math.abs(wasm.weightMass - exact)).toBeLessThanOrEqual(1e-6 * Math.max(1, exact));
        expect(Math.abs(cpu.weightMass - exact)).toBeLessThanOrEqual(1e-6 * Math.max(1, exact));
        expect(wasm.leaked).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('reports a non-finite Σ|w′| when a weight becomes non-finite, in the SIMD part or the tail', async () => {
    await tf.setBackend('wasm');
    for (const at of [1, 8]) {
      const weight = tf.variable(tf.tensor1d(new Float32Array(9).fill(0.5)));
      const gradient = new Float32Array(9);
      gradient[at] = Number.POSITIVE_INFINITY;
      const mass = tf.tidy(() => sgdUpdate(weight, tf.tensor1d(gradient), null, null, { lr: 0.1, momentum: 0, weightDecay: 0 }).dataSync()[0]!);
      expect(Number.isFinite(mass)).toBe(false);
      expect(Number.isFinite(weight.dataSync()[at]!)).toBe(false);
      weight.dispose();
    }
  });
});
