import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../train/rng';
import { registerTrainingKernels } from '../registry';

/** Makes the WASM and CPU backends ready, with the training kernels registered for WASM. */
export async function prepareBackends(): Promise<void> {
  registerTrainingKernels();
  for (const backend of ['cpu', 'wasm']) {
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
  }
}

/** Reproducible values in [−1, 1) for a tensor of `shape`. */
export function randomValues(shape: readonly number[], rng: Rng): Float32Array {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-1, 1);
  return values;
}

export interface TensorRun {
  readonly shape: number[];
  readonly values: tf.TypedArray;
  /** Tensors alive after the run minus before it: 0 unless something leaked. */
  readonly leakedTensors: number;
  /** The same for the backend's buffers, which also counts data no Tensor refers to. */
  readonly leakedBuffers: number;
}

/** The tensor `compute` makes (inside a tidy) on `backend`, read back, and what the run left allocated. */
export async function runOn(backend: 'cpu' | 'wasm', compute: () => tf.Tensor): Promise<TensorRun> {
  await tf.setBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.engine().backend.numDataIds();
  const result = tf.tidy(compute);
  const out = { shape: result.shape, values: result.dataSync() };
  result.dispose();
  return { ...out, leakedTensors: tf.memory().numTensors - tensorsBefore, leakedBuffers: tf.engine().backend.numDataIds() - buffersBefore };
}

export type Layer = (input: tf.Tensor4D, filter: tf.Tensor4D) => tf.Tensor4D;

export interface GradientRun {
  readonly gradient: Float32Array;
  /** Tensors alive after the run minus before it: 0 unless something leaked. */
  readonly leakedTensors: number;
  /** The same for the backend's buffers, which also counts data no Tensor refers to. */
  readonly leakedBuffers: number;
}

/**
 * The gradient of Σ layer(x, w) ⊙ r with respect to x or w on `backend`,
 * where r is a fixed random weighting (so dy is not constant) and only the
 * asked-for gradient is computed, so exactly one backward kernel runs.
 */
export async function layerGradient(
  backend: 'cpu' | 'wasm',
  layer: Layer,
  shapes: { input: [number, number, number, number]; filter: [number, number, number, number] },
  respectTo: 'input' | 'filter',
  seed: number,
): Promise<GradientRun> {
  await tf.setBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.engine().backend.numDataIds();
  const rng = new Rng(seed);
  const gradient = tf.tidy(() => {
    const input = tf.tensor4d(randomValues(shapes.input, rng), shapes.input);
    const filter = tf.tensor4d(randomValues(shapes.filter, rng), shapes.filter);
    const outputShape = layer(input, filter).shape;
    const weighting = tf.tensor(randomValues(outputShape, rng), outputShape);
    const loss = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.sum(tf.mul(layer(x, w), weighting));
    return respectTo === 'input'
      ? tf.grad((x) => loss(x as tf.Tensor4D, filter))(input)
      : tf.grad((w) => loss(input, w as tf.Tensor4D))(filter);
  });
  const values = gradient.dataSync() as Float32Array;
  gradient.dispose();
  return {
    gradient: values,
    leakedTensors: tf.memory().numTensors - tensorsBefore,
    leakedBuffers: tf.engine().backend.numDataIds() - buffersBefore,
  };
}

/** Largest |actual − expected| relative to the largest |expected| (at least 1). */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return worst / scale;
}
