import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHelper } from '../../../../build/node-gemm-helpers';
import { Rng } from '../../train/rng';
import { wasmMemory, type HostMemory } from '../host-memory';
import { prepareBackends } from '../testing/backend-parity';
import { sharedHeapOf, threadedPassLanes } from '../tfjs-heap';
import { startGemmThreads, type GemmThreads } from './gemm-threads';
import { batchNormTrainBackward, batchNormTrainForward } from '../batch-norm-train';
import { registerTrainingKernels } from '../registry';
import { reluGradient } from '../relu-gradient';
import { createGemm, relaxedGemmPolicy, useRelaxedGemm, type Gemm, type Shape4D, type Window } from './relaxed-gemm';
import type { SharedHeap } from './shared-heap';
import { withPolicy } from './testing/with-policy';
import { convolvesByWinograd } from './winograd-convolution';

const randomValues = (length: number, rng: Rng) => Float32Array.from({ length }, () => rng.uniform(-1, 1));

/** The first index where the arrays differ (lengths included), or -1: a failure then reports one number, not two arrays of 100,000 floats. */
function firstDifference(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  return actual.findIndex((value, i) => !Object.is(value, expected[i]));
}

function windowOf(size: number, kernel: number, stride: number): Window {
  const pad = Math.floor(kernel / 2);
  const out = Math.floor((size + 2 * pad - kernel) / stride) + 1;
  return { strideHeight: stride, strideWidth: stride, padTop: pad, padLeft: pad, dilationHeight: 1, dilationWidth: 1, outHeight: out, outWidth: out };
}

describe('the product in tfjs’s shared WASM heap', () => {
  const policy = { ...relaxedGemmPolicy };
  /** Every block the product asked the heap for, in bytes. */
  const allocations: number[] = [];
  let threads: GemmThreads;
  let single: Gemm;
  let memory: HostMemory;
  const tensors: tf.Tensor[] = [];

  /** Floats kept on either side of each array on the heap, set to GUARD: a pass that writes past its output changes them. */
  const GUARD_FLOATS = 64;
  const GUARD = -12345;
  /** Every guarded tensor made, and its length inside the guards. */
  const guarded: { tensor: tf.Tensor; length: number }[] = [];

  /**
   * `values` in tfjs's heap, inside a tensor with guards on both sides (so that a pass writing past its output
   * changes the guards, not the heap's own bookkeeping), seen as a view of it. Take views after the last tensor is
   * made: the heap may grow.
   */
  const onHeap = (values: Float32Array) => {
    const padded = new Float32Array(values.length + 2 * GUARD_FLOATS).fill(GUARD);
    padded.set(values, GUARD_FLOATS);
    const tensor = tf.tensor1d(padded);
    tensors.push(tensor);
    guarded.push({ tensor, length: values.length });
    return () => memory.view(tensor).subarray(GUARD_FLOATS, GUARD_FLOATS + values.length);
  };
  /** Whether every guard is as it was made. */
  const guardsIntact = () =>
    guarded.every(({ tensor, length }) => {
      if (tensor.isDisposed) return true;
      const all = memory.view(tensor);
      return all.subarray(0, GUARD_FLOATS).every((v) => v === GUARD) && all.subarray(GUARD_FLOATS + length).every((v) => v === GUARD);
    });

  beforeAll(async () => {
    await prepareBackends();
    await tf.setBackend('wasm');
    const heap = sharedHeapOf(tf.backend());
    expect(heap).not.toBeNull();
    const spy: SharedHeap = {
      memory: heap!.memory,
      allocate: (bytes) => {
        allocations.push(bytes);
        return heap!.allocate(bytes);
      },
      free: (address) => heap!.free(address),
    };
    relaxedGemmPolicy.minThreadedWork = 0;
    threads = startGemmThreads(2, startNodeHelper, { heap: spy })!;
    single = createGemm('relaxed-madd')!;
    memory = wasmMemory(tf.backend());
    await threads.ready();
  });
  afterAll(() => {
    threads.stop();
    tf.dispose(tensors);
    guarded.splice(0);
    Object.assign(relaxedGemmPolicy, policy);
  });

  it('is where the WASM backend keeps its tensors in Node (its threaded build, node-shared-heap.ts)', () => {
    expect(tf.backend()).toBe(tf.findBackend('wasm'));
    expect(sharedHeapOf(tf.backend())!.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(threads.lanes()).toBe(3);
  });

  it('reads operands and writes results in place: it asks the heap for less than copies would need', () => {
    // A [256×1024], B [1024×512], C [256×512], split over 3 lanes by B's panels: the panels (2 MB in all) and A
    // packed once for each lane (3 MB) are the product's own; copies of A, B and C would add 3.5 MB more.
    const rng = new Rng(5);
    const [m, k, n] = [256, 1024, 512];
    const [a, b] = [randomValues(m * k, rng), randomValues(k * n, rng)];
    const expected = new Float32Array(m * n);
    single.multiply(a, b, m, k, n, expected);
    const [aView, bView, cView] = [onHeap(a), onHeap(b), onHeap(new Float32Array(m * n).fill(Number.NaN))];
    threads.gemm.multiply(aView(), bView(), m, k, n, cView());
    expect(firstDifference(cView(), expected)).toBe(-1);
    expect(guardsIntact()).toBe(true);
    const inPlace = Math.max(...allocations);
    expect(inPlace).toBeLessThan(6 * 2 ** 20);
    // The same operands as arrays of their own are copied into the heap.
    const copied = new Float32Array(m * n);
    threads.gemm.multiply(a, b, m, k, n, copied);
    expect(firstDifference(copied, expected)).toBe(-1);
    expect(Math.max(...allocations)).toBeGreaterThan(8 * 2 ** 20);
  });

  it('splits BatchNorm’s passes, ReLU, its gradient and adds over the lanes, bit for bit as on one thread (tfjs’s own kernels for ReLU and adds)', () => {
    // 15·7·7 = 735 rows of 8 channels: three blocks of 256 rows, one a lane, and rows split unevenly.
    const rng = new Rng(23);
    const shape = [15, 7, 7, 8];
    const size = 15 * 7 * 7 * 8;
    const [x, dy] = [tf.tensor(randomValues(size, rng), shape), tf.tensor(randomValues(size, rng), shape)];
    const [gamma, beta] = [tf.tensor1d(randomValues(8, rng)), tf.tensor1d(randomValues(8, rng))];
    const meanOfBeta = (beta.dataSync() as Float32Array).reduce((a, b) => a + b, 0) / 8;
    const passes = () =>
      tf.tidy(() => {
        const [y, mean, variance] = batchNormTrainForward(x, gamma, beta, 1e-5);
        const [dx, dGamma, dBeta] = batchNormTrainBackward(dy, x, mean, variance, gamma, 1e-5);
        // ReLU and an add over a size that is not whole vectors of 4, with NaN, −0 and +0 among the values.
        const odd = tf.concat([tf.reshape(x, [-1]), tf.tensor1d([Number.NaN, -0, 0])]);
        const results = [y, mean, variance, dx, dGamma, dBeta, reluGradient(dy, x), tf.relu(odd), tf.add(odd, tf.reverse(odd)), tf.add(x, dy)];
        return results.map((t) => t.dataSync() as Float32Array);
      });
    relaxedGemmPolicy.minThreadedPassFloats = 0;
    registerTrainingKernels();
    const previous = useRelaxedGemm(single);
    let oneThread: Float32Array[];
    let lanes: Float32Array[];
    try {
      expect(single.lanesIn(sharedHeapOf(tf.backend())!.memory)).toBeNull();
      expect(threadedPassLanes(tf.backend(), size)).toBeNull();
      oneThread = passes();
      useRelaxedGemm(threads.gemm);
      expect(threads.gemm.lanesIn(sharedHeapOf(tf.backend())!.memory)!.lanesFor(size)).toBe(3);
      expect(threadedPassLanes(tf.backend(), size)).not.toBeNull();
      lanes = passes();
    } finally {
      useRelaxedGemm(previous);
      relaxedGemmPolicy.minThreadedPassFloats = policy.minThreadedPassFloats;
      tf.dispose([x, dy, gamma, beta]);
    }
    lanes.forEach((values, i) => expect(firstDifference(values, oneThread[i]!)).toBe(-1));
    // The passes computed something: y is normalized, dx and the ReLU gradient are not all zeros.
    expect(Math.abs(oneThread[0]!.reduce((a, b) => a + b, 0) / size - meanOfBeta)).toBeLessThan(1e-3);
    expect(oneThread[3]!.some((v) => v !== 0) && oneThread[6]!.some((v) => v !== 0)).toBe(true);
  });

  it('convolves by Winograd in place, the image read and the output written in tfjs’s heap, exactly as one thread from copies, and sums its filter gradient to float32 roundoff', () => {
    withPolicy({ winogradFromChannels: 4, winogradBlockFloats: 512, winogradSumTiles: 50 }, () => {
      for (const [batch, size, channels, outChannels] of [[5, 8, 16, 32], [3, 12, 8, 16], [9, 4, 32, 8]] as const) {
        const rng = new Rng(size + channels);
        const imageShape: Shape4D = [batch, size, size, channels];
        const filterShape: Shape4D = [3, 3, channels, outChannels];
        const window = windowOf(size, 3, 1);
        expect(convolvesByWinograd(imageShape, filterShape, window)).toBe(true);
        const [image, filter] = [randomValues(batch * size * size * channels, rng), randomValues(9 * channels * outChannels, rng)];
        const expected = new Float32Array(batch * size * size * outChannels);
        const gradient = randomValues(expected.length, rng);
        const expectedGradient = new Float32Array(filter.length);
        single.convolve(image, imageShape, filter, filterShape, window, expected);
        single.filterGradient(image, imageShape, gradient, filterShape, window, expectedGradient);
        const [imageOn, filterOn, outOn, gradientOn, filterGradientOn] = [image, filter, new Float32Array(expected.length).fill(Number.NaN), gradient, new Float32Array(filter.length).fill(Number.NaN)].map(
          onHeap,
        ) as [() => Float32Array, () => Float32Array, () => Float32Array, () => Float32Array, () => Float32Array];
        threads.gemm.convolve(imageOn(), imageShape, filterOn(), filterShape, window, outOn());
        threads.gemm.filterGradient(imageOn(), imageShape, gradientOn(), filterShape, window, filterGradientOn());
        expect(firstDifference(outOn(), expected)).toBe(-1);
        const scale = Math.max(1, ...expectedGradient.map(Math.abs));
        expect(Math.max(...filterGradientOn().map((value, i) => Math.abs(value - expectedGradient[i]!))) / scale).toBeLessThan(1e-5);
        expect(firstDifference(imageOn(), image)).toBe(-1);
        expect(firstDifference(gradientOn(), gradient)).toBe(-1);
        expect(guardsIntact()).toBe(true);
        tf.dispose(tensors.splice(0));
        guarded.splice(0);
      }
    });
  });

  it('multiplies and convolves in place exactly as one thread does from copies, and sums filter gradients to float32 roundoff', () => {
    fc.assert(
      fc.property(
        fc.record({
          batch: fc.integer({ min: 1, max: 5 }),
          size: fc.integer({ min: 3, max: 12 }),
          channels: fc.constantFrom(1, 3, 4, 8, 16),
          outChannels: fc.constantFrom(6, 8, 16, 32),
          kernel: fc.constantFrom(1, 3, 5),
          stride: fc.constantFrom(1, 2),
          transposedA: fc.boolean(),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        ({ batch, size, channels, outChannels, kernel, stride, transposedA, seed }) => {
          const rng = new Rng(seed);
          const imageShape: Shape4D = [batch, size, size, channels];
          const filterShape: Shape4D = [kernel, kernel, channels, outChannels];
          const window = windowOf(size, kernel, stride);
          const pixels = batch * window.outHeight * window.outWidth;
          const taps = kernel * kernel * channels;
          const [image, filter, gradient] = [randomValues(batch * size * size * channels, rng), randomValues(taps * outChannels, rng), randomValues(pixels * outChannels, rng)];
          const expected = {
            product: new Float32Array(pixels * outChannels),
            convolution: new Float32Array(pixels * outChannels),
            filterGradient: new Float32Array(taps * outChannels),
            inputGradient: new Float32Array(image.length),
          };
          // The product: pixels × taps times taps × out (A given transposed or not), as a convolution's im2col would be.
          const a = randomValues(pixels * taps, rng);
          single.multiply(a, filter, pixels, taps, outChannels, expected.product, { a: transposedA, b: false });
          single.convolve(image, imageShape, filter, filterShape, window, expected.convolution);
          single.filterGradient(image, imageShape, gradient, filterShape, window, expected.filterGradient);
          single.inputGradient(gradient, filter, filterShape, imageShape, window, expected.inputGradient);
          const views = [a, image, filter, gradient, ...Object.values(expected).map((e) => new Float32Array(e.length).fill(Number.NaN))].map(onHeap);
          const [aOn, imageOn, filterOn, gradientOn, productOn, convolutionOn, filterGradientOn, inputGradientOn] = views as [
            () => Float32Array, () => Float32Array, () => Float32Array, () => Float32Array, () => Float32Array, () => Float32Array, () => Float32Array, () => Float32Array,
          ];
          threads.gemm.multiply(aOn(), filterOn(), pixels, taps, outChannels, productOn(), { a: transposedA, b: false });
          threads.gemm.convolve(imageOn(), imageShape, filterOn(), filterShape, window, convolutionOn());
          threads.gemm.filterGradient(imageOn(), imageShape, gradientOn(), filterShape, window, filterGradientOn());
          threads.gemm.inputGradient(gradientOn(), filterOn(), filterShape, imageShape, window, inputGradientOn());
          expect(firstDifference(productOn(), expected.product)).toBe(-1);
          expect(firstDifference(convolutionOn(), expected.convolution)).toBe(-1);
          expect(firstDifference(inputGradientOn(), expected.inputGradient)).toBe(-1);
          const scale = Math.max(1, ...expected.filterGradient.map(Math.abs));
          expect(Math.max(...filterGradientOn().map((value, i) => Math.abs(value - expected.filterGradient[i]!))) / scale).toBeLessThan(1e-5);
          // The operands are as they were, and nothing was written past an array.
          expect(firstDifference(imageOn(), image)).toBe(-1);
          expect(firstDifference(gradientOn(), gradient)).toBe(-1);
          expect(guardsIntact()).toBe(true);
          tf.dispose(tensors.splice(0));
          guarded.splice(0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
