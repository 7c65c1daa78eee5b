import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeHelper } from '../../../../build/node-gemm-helpers';
import { Rng } from '../../train/rng';
import { startGemmThreads, type GemmThreads, type StartHelper } from './gemm-threads';
import { createGemm, relaxedGemmPolicy, type Gemm, type Shape4D, type Window } from './relaxed-gemm';
import { withPolicy } from './testing/with-policy';
import { convolvesByWinograd } from './winograd-convolution';

const randomValues = (length: number, rng: Rng) => Float32Array.from({ length }, () => rng.uniform(-1, 1));

const convolutionCase = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  size: fc.integer({ min: 3, max: 12 }),
  channels: fc.integer({ min: 1, max: 20 }),
  outChannels: fc.integer({ min: 1, max: 20 }),
  kernel: fc.constantFrom(1, 3, 5),
  stride: fc.constantFrom(1, 2),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

function windowOf(size: number, kernel: number, stride: number): Window {
  const pad = Math.floor(kernel / 2);
  const out = Math.floor((size + 2 * pad - kernel) / stride) + 1;
  return { strideHeight: stride, strideWidth: stride, padTop: pad, padLeft: pad, dilationHeight: 1, dilationWidth: 1, outHeight: out, outWidth: out };
}

describe('relaxed-SIMD product on helper threads', () => {
  let threads: GemmThreads;
  let single: Gemm;
  const policy = { ...relaxedGemmPolicy };
  let started = 0;
  const countingStart: StartHelper = (source, setup) => {
    started++;
    return startNodeHelper(source, setup);
  };

  beforeAll(async () => {
    // Every product is split, however small, and blocks are small enough that even tiny convolutions have several.
    relaxedGemmPolicy.minThreadedWork = 0;
    threads = startGemmThreads(2, countingStart)!;
    single = createGemm('relaxed-madd')!;
    await threads.ready();
  });
  afterAll(() => {
    threads.stop();
    Object.assign(relaxedGemmPolicy, policy);
  });

  it('starts the helpers asked for', () => {
    expect(threads.helpers).toBe(2);
    expect(started).toBe(2);
    expect(threads.lanes()).toBe(3);
  });

  it('multiplies exactly as one thread does, rows or columns split over three lanes, operands as given or transposed', () => {
    const transposedOperands = fc.record({ a: fc.boolean(), b: fc.boolean() });
    // 0: lanes always split the columns (B's panels); Infinity: always the rows.
    const splitColumnsFrom = fc.constantFrom(0, Infinity);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 70 }), transposedOperands, splitColumnsFrom, fc.integer(), (m, k, n, transposed, split, seed) => {
        const rng = new Rng(seed);
        const a = randomValues(m * k, rng);
        const b = randomValues(k * n, rng);
        const expected = new Float32Array(m * n);
        const actual = new Float32Array(m * n).fill(Number.NaN);
        single.multiply(a, b, m, k, n, expected, transposed);
        relaxedGemmPolicy.splitColumnsFrom = split;
        try {
          threads.gemm.multiply(a, b, m, k, n, actual, transposed);
        } finally {
          relaxedGemmPolicy.splitColumnsFrom = policy.splitColumnsFrom;
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('convolves exactly as one thread does, and its filter gradient agrees to float32 roundoff and repeats bit for bit', () => {
    fc.assert(
      fc.property(convolutionCase, ({ batch, size, channels, outChannels, kernel, stride, seed }) => {
        const rng = new Rng(seed);
        const imageShape: Shape4D = [batch, size, size, channels];
        const filterShape: Shape4D = [kernel, kernel, channels, outChannels];
        const window = windowOf(size, kernel, stride);
        const pixels = batch * window.outHeight * window.outWidth;
        const image = randomValues(batch * size * size * channels, rng);
        const filter = randomValues(kernel * kernel * channels * outChannels, rng);
        const expected = new Float32Array(pixels * outChannels);
        const actual = new Float32Array(pixels * outChannels).fill(Number.NaN);
        single.convolve(image, imageShape, filter, filterShape, window, expected);
        threads.gemm.convolve(image, imageShape, filter, filterShape, window, actual);
        expect(actual).toEqual(expected);

        const gradient = randomValues(pixels * outChannels, rng);
        const taps = kernel * kernel * channels;
        const oneThread = new Float32Array(taps * outChannels);
        const first = new Float32Array(taps * outChannels).fill(Number.NaN);
        const second = new Float32Array(taps * outChannels).fill(Number.NaN);
        single.filterGradient(image, imageShape, gradient, filterShape, window, oneThread);
        threads.gemm.filterGradient(image, imageShape, gradient, filterShape, window, first);
        threads.gemm.filterGradient(image, imageShape, gradient, filterShape, window, second);
        expect(second).toEqual(first);
        const scale = Math.max(1, ...oneThread.map(Math.abs));
        const worst = Math.max(...first.map((value, i) => Math.abs(value - oneThread[i]!)));
        expect(worst / scale).toBeLessThan(1e-5);

        // Input gradients split by whole images, each image on one lane: bit-identical.
        const imageGradient = new Float32Array(image.length);
        const imageGradientThreads = new Float32Array(image.length).fill(Number.NaN);
        single.inputGradient(gradient, filter, filterShape, imageShape, window, imageGradient);
        threads.gemm.inputGradient(gradient, filter, filterShape, imageShape, window, imageGradientThreads);
        expect(imageGradientThreads).toEqual(imageGradient);
      }),
      { numRuns: 40 },
    );
  });

  it('splits an input gradient of many images over every lane, one image per block', () => {
    // 72 taps per pixel: an image's cols are 1024 × 72 floats, so a 512 KB block holds one image, and 9 images make 3 per lane.
    const rng = new Rng(11);
    const imageShape: Shape4D = [9, 32, 32, 8];
    const filterShape: Shape4D = [3, 3, 8, 16];
    const window = { strideHeight: 1, strideWidth: 1, padTop: 1, padLeft: 1, dilationHeight: 1, dilationWidth: 1, outHeight: 32, outWidth: 32 };
    const gradient = randomValues(9 * 32 * 32 * 16, rng);
    const filter = randomValues(3 * 3 * 8 * 16, rng);
    const expected = new Float32Array(9 * 32 * 32 * 8);
    const actual = new Float32Array(expected.length).fill(Number.NaN);
    single.inputGradient(gradient, filter, filterShape, imageShape, window, expected);
    threads.gemm.inputGradient(gradient, filter, filterShape, imageShape, window, actual);
    expect(actual).toEqual(expected);
    expect(expected.some((value) => value !== 0)).toBe(true);
  });

  it('splits a convolution of many blocks over every lane (each lane’s rows of the output are written)', () => {
    // 64 taps per pixel: 512 KB blocks of 2048 rows, and 4×33×33 output pixels make three blocks, one per lane.
    const rng = new Rng(7);
    const imageShape: Shape4D = [4, 32, 32, 16];
    const filterShape: Shape4D = [2, 2, 16, 24];
    const window = windowOf(32, 2, 1);
    const pixels = 4 * window.outHeight * window.outWidth;
    const image = randomValues(4 * 32 * 32 * 16, rng);
    const filter = randomValues(2 * 2 * 16 * 24, rng);
    const expected = new Float32Array(pixels * 24);
    const actual = new Float32Array(pixels * 24).fill(Number.NaN);
    single.convolve(image, imageShape, filter, filterShape, window, expected);
    threads.gemm.convolve(image, imageShape, filter, filterShape, window, actual);
    expect(actual).toEqual(expected);
  });

  it('splits Winograd convolutions over every lane, exactly as one thread, and their filter gradients, which repeat bit for bit', () => {
    // 20 images of 8×8 tiles: blocks of 2 rows of tiles (winogradBlockFloats 256 over 32 channels), bands of images per
    // lane; the filter gradient sums blocks of 2 images (winogradSumTiles 100) and then the lanes' sums in order.
    withPolicy({ winogradFromChannels: 4, winogradBlockFloats: 256, winogradSumTiles: 100 }, () => {
      const rng = new Rng(23);
      const imageShape: Shape4D = [20, 16, 16, 20];
      const filterShape: Shape4D = [3, 3, 20, 32];
      const window = windowOf(16, 3, 1);
      expect(convolvesByWinograd(imageShape, filterShape, window)).toBe(true);
      const image = randomValues(20 * 16 * 16 * 20, rng);
      const filter = randomValues(3 * 3 * 20 * 32, rng);
      const expected = new Float32Array(20 * 16 * 16 * 32);
      const actual = new Float32Array(expected.length).fill(Number.NaN);
      single.convolve(image, imageShape, filter, filterShape, window, expected);
      threads.gemm.convolve(image, imageShape, filter, filterShape, window, actual);
      expect(actual).toEqual(expected);
      expect(expected.some((value) => value !== 0)).toBe(true);
      const gradient = randomValues(expected.length, rng);
      const [oneThread, first, second] = [0, 1, 2].map(() => new Float32Array(filter.length).fill(Number.NaN)) as [Float32Array, Float32Array, Float32Array];
      single.filterGradient(image, imageShape, gradient, filterShape, window, oneThread);
      threads.gemm.filterGradient(image, imageShape, gradient, filterShape, window, first);
      threads.gemm.filterGradient(image, imageShape, gradient, filterShape, window, second);
      expect(second).toEqual(first);
      const scale = Math.max(1, ...oneThread.map(Math.abs));
      expect(Math.max(...first.map((value, i) => Math.abs(value - oneThread[i]!))) / scale).toBeLessThan(1e-5);
    });
  });

  it('splits one-channel convolutions read in place (LeNet-5’s first layer) over every lane, like one thread', () => {
    // dy of 28·28 pixels × 8 floats per image: blocks of 20 images at most, so 45 images make three blocks of 15, one per lane.
    const rng = new Rng(13);
    const imageShape: Shape4D = [45, 28, 28, 1];
    const filterShape: Shape4D = [5, 5, 1, 6];
    const window = windowOf(28, 5, 1);
    const image = randomValues(45 * 28 * 28, rng);
    const filter = randomValues(5 * 5 * 6, rng);
    const gradient = randomValues(45 * 28 * 28 * 6, rng);
    const expected = new Float32Array(gradient.length);
    const actual = new Float32Array(gradient.length).fill(Number.NaN);
    single.convolve(image, imageShape, filter, filterShape, window, expected);
    threads.gemm.convolve(image, imageShape, filter, filterShape, window, actual);
    expect(actual).toEqual(expected);
    expect(expected.some((value) => value !== 0)).toBe(true);
    const oneThread = new Float32Array(150);
    const lanes = new Float32Array(150).fill(Number.NaN);
    single.filterGradient(image, imageShape, gradient, filterShape, window, oneThread);
    threads.gemm.filterGradient(image, imageShape, gradient, filterShape, window, lanes);
    const scale = Math.max(1, ...oneThread.map(Math.abs));
    expect(Math.max(...lanes.map((value, i) => Math.abs(value - oneThread[i]!))) / scale).toBeLessThan(1e-5);
  });

  it('splits convolutions read from frames (a ResNet layer) over every lane, exactly as one thread, and their filter gradients', () => {
    // Frames, not Winograd, which would take this layer.
    withPolicy({ winogradFromChannels: Infinity }, () => {
      // Frames of 18·18·16 floats: 6 images a block; 20 images make bands of 7 and 7 for the helpers, in two blocks each,
      // and 6 for the calling thread, which also copies its images in and out.
      const rng = new Rng(17);
      const imageShape: Shape4D = [20, 16, 16, 16];
      const filterShape: Shape4D = [3, 3, 16, 32];
      const window = windowOf(16, 3, 1);
      const image = randomValues(20 * 16 * 16 * 16, rng);
      const filter = randomValues(3 * 3 * 16 * 32, rng);
      const expected = new Float32Array(20 * 16 * 16 * 32);
      const actual = new Float32Array(expected.length).fill(Number.NaN);
      single.convolve(image, imageShape, filter, filterShape, window, expected);
      threads.gemm.convolve(image, imageShape, filter, filterShape, window, actual);
      expect(actual).toEqual(expected);
      expect(expected.some((value) => value !== 0)).toBe(true);
      // Its filter gradient from frames in planes: blocks of images summed on each lane, then the lanes in order.
      const gradient = randomValues(expected.length, rng);
      const oneThread = new Float32Array(filter.length);
      const first = new Float32Array(filter.length).fill(Number.NaN);
      const second = new Float32Array(filter.length).fill(Number.NaN);
      single.filterGradient(image, imageShape, gradient, filterShape, window, oneThread);
      threads.gemm.filterGradient(image, imageShape, gradient, filterShape, window, first);
      threads.gemm.filterGradient(image, imageShape, gradient, filterShape, window, second);
      expect(second).toEqual(first);
      const scale = Math.max(1, ...oneThread.map(Math.abs));
      expect(Math.max(...first.map((value, i) => Math.abs(value - oneThread[i]!))) / scale).toBeLessThan(1e-5);
    });
  });

  it('keeps working on the calling thread alone once stopped', async () => {
    const own = startGemmThreads(1, startNodeHelper)!;
    await own.ready();
    expect(own.lanes()).toBe(2);
    own.stop();
    expect(own.lanes()).toBe(1);
    const a = Float32Array.from({ length: 12 }, (_, i) => i);
    const out = new Float32Array(9);
    own.gemm.multiply(a, a, 3, 4, 3, out);
    expect(Array.from(out)).toEqual([42, 48, 54, 114, 136, 158, 186, 224, 262]);
  });

  it('ignores a wake-up with no new product (Atomics.wait may return "ok" without one): the helper does not run its last calls again', async () => {
    let control: Int32Array | null = null;
    const own = startGemmThreads(
      1,
      (source, setup) => {
        control = new Int32Array(setup.control);
        return startNodeHelper(source, setup);
      },
      { spins: 1 },
    )!;
    await own.ready();
    // 8 rows: two tiles, one for each lane.
    const rng = new Rng(3);
    const [a, b] = [randomValues(8 * 5, rng), randomValues(5 * 6, rng)];
    const expected = new Float32Array(8 * 6);
    single.multiply(a, b, 8, 5, 6, expected);
    const out = new Float32Array(8 * 6);
    own.gemm.multiply(a, b, 8, 5, 6, out);
    expect(out).toEqual(expected);
    // The helper sleeps after one check; then it is woken with the generation (slot 0) unchanged.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Atomics.notify(control!, 0)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Slot 1 counts the helpers still working on the current product: a helper that ran its calls again takes it below 0.
    expect(Atomics.load(control!, 1)).toBe(0);
    out.fill(Number.NaN);
    own.gemm.multiply(a, b, 8, 5, 6, out);
    expect(out).toEqual(expected);
    own.stop();
  });

  it('is not started where no helper is wanted', () => {
    expect(startGemmThreads(0, startNodeHelper)).toBeNull();
  });
});
