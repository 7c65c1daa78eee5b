import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wasmMemory } from './host-memory';
import { channelFunctionsOnHeap, heapAddress as address } from './tfjs-heap';

/**
 * BatchNorm with batch statistics on WASM in five passes over the
 * activations (forward: the sum, the centered squares, y; backward: both sums
 * a block of rows at a time, then dx) instead of the dozen tfjs composes
 * it from, each a SIMD loop of the lab's channel module straight on tfjs's
 * heap (no copies). Same formulas as batch-normalize.ts, PyTorch's:
 *   forward: mean, biased variance Σ(x − mean)²/N, y = (x − mean)·γ/√(var + ε) + β
 *   backward: dβ = Σ dy, dγ = invstd · Σ (x − mean)·dy,
 *     dx = dy·g − (x − mean)·k·g − g·Σ dy / N, with g = invstd·γ, k = invstd² · Σ (x − mean)·dy / N.
 * Sums run in float32 over blocks of rows and in float64 across blocks.
 * Channels-last, float32, channels a multiple of 4 (batchNormReady).
 */
export const BATCH_NORM_TRAIN = 'LabBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'LabBatchNormTrainGrad';

/** Rows per float32 partial sum: short enough that its roundoff stays near float32's, long enough that calls are few. */
const BLOCK_ROWS = 256;

/** Whether BatchNorm on `x` can run on the fused kernels now: the WASM backend with them registered, float32, channels a multiple of 4. */
export function batchNormReady(x: tf.Tensor): boolean {
  const channels = x.shape[x.rank - 1] ?? 0;
  return (
    tf.getBackend() === 'wasm' &&
    x.dtype === 'float32' &&
    x.rank >= 2 &&
    channels > 0 &&
    channels % 4 === 0 &&
    tf.getKernel(BATCH_NORM_TRAIN, 'wasm') !== undefined &&
    channelFunctionsOnHeap(tf.backend()) !== null
  );
}

/** Σ over rows of `pass(first row, count, out)` for blocks of rows, in float64. */
function blockSums(rows: number, channels: number, scratch: Float32Array, pass: (first: number, count: number) => void): Float64Array {
  const sums = new Float64Array(channels);
  for (let first = 0; first < rows; first += BLOCK_ROWS) {
    pass(first, Math.min(BLOCK_ROWS, rows - first));
    for (let c = 0; c < channels; c++) sums[c]! += scratch[c]!;
  }
  return sums;
}

/** What both kernels start from: the channel functions on the backend's heap, its memory, and x seen as [rows × channels]. */
function onHeap(backend: unknown, x: TensorInfo) {
  const channels = x.shape[x.shape.length - 1]!;
  return {
    functions: channelFunctionsOnHeap(backend)!,
    memory: wasmMemory(backend),
    channels,
    rows: x.shape.reduce((a, b) => a * b, 1) / channels,
    rowBytes: channels * 4,
  };
}

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, scale, offset } = inputs as { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
  const epsilon = (attrs as { epsilon: number }).epsilon;
  const { functions, memory, channels, rows, rowBytes } = onHeap(backend, x);
  const output = memory.allocate(x.shape);
  const mean = memory.allocate([channels]);
  const variance = memory.allocate([channels]);
  const scratchInfo = memory.allocate([2 * channels]);
  // Views after the last allocation: the heap may have grown.
  const [xs, outputs, means, variances, scratch, gammas] = [x, output, mean, variance, scratchInfo, scale].map((info) => memory.view(info)) as Float32Array[];
  const partial = scratch!.subarray(0, channels);
  const p = scratch!.subarray(channels);
  const sums = blockSums(rows, channels, partial, (first, count) => functions.sumRows(address(xs!) + first * rowBytes, count, channels, address(partial)));
  for (let c = 0; c < channels; c++) means![c] = sums[c]! / rows;
  const squares = blockSums(rows, channels, partial, (first, count) => {
    const at = address(xs!) + first * rowBytes;
    functions.sumProducts(at, address(means!), at, address(means!), count, channels, address(partial));
  });
  for (let c = 0; c < channels; c++) {
    variances![c] = squares[c]! / rows;
    p[c] = gammas![c]! / Math.sqrt(variances![c]! + epsilon);
  }
  functions.affine(address(xs!), address(means!), address(p), address(memory.view(offset)), rows, channels, address(outputs!));
  (backend as tf.KernelBackend).disposeData(scratchInfo.dataId);
  return [output, mean, variance];
};

const backward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, mean, variance, scale } = inputs as { dy: TensorInfo; x: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale: TensorInfo };
  const epsilon = (attrs as { epsilon: number }).epsilon;
  const { functions, memory, channels, rows, rowBytes } = onHeap(backend, x);
  const dx = memory.allocate(x.shape);
  const dScale = memory.allocate([channels]);
  const dOffset = memory.allocate([channels]);
  const scratchInfo = memory.allocate([5 * channels]);
  const [dys, xs, means, variances, gammas, dxs, dScales, dOffsets, scratch] = [dy, x, mean, variance, scale, dx, dScale, dOffset, scratchInfo].map((info) =>
    memory.view(info),
  ) as Float32Array[];
  const [partial, p, q, r, zeros] = [0, 1, 2, 3, 4].map((i) => scratch!.subarray(i * channels, (i + 1) * channels)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  zeros.fill(0);
  // Both sums a block at a time: the second finds the block of dy in cache (one pass over dy, not two).
  const sumDy = new Float64Array(channels);
  const dot = blockSums(rows, channels, partial, (first, count) => {
    const at = address(dys!) + first * rowBytes;
    functions.sumRows(at, count, channels, address(partial));
    for (let c = 0; c < channels; c++) sumDy[c]! += partial[c]!;
    functions.sumProducts(at, address(zeros), address(xs!) + first * rowBytes, address(means!), count, channels, address(partial));
  });
  for (let c = 0; c < channels; c++) {
    const invStd = 1 / Math.sqrt(variances![c]! + epsilon);
    const g = invStd * gammas![c]!;
    const k = (dot[c]! * invStd * invStd) / rows;
    p[c] = g;
    q[c] = -k * g;
    r[c] = (-g * sumDy[c]!) / rows;
    dScales![c] = dot[c]! * invStd;
    dOffsets![c] = sumDy[c]!;
  }
  functions.affine2(address(dys!), address(p), address(xs!), address(means!), address(q), address(r), rows, channels, address(dxs!));
  (backend as tf.KernelBackend).disposeData(scratchInfo.dataId);
  return [dx, dScale, dOffset];
};

export const batchNormTrainConfig: KernelConfig = { kernelName: BATCH_NORM_TRAIN, backendName: 'wasm', kernelFunc: forward };
export const batchNormTrainGradConfig: KernelConfig = { kernelName: BATCH_NORM_TRAIN_GRAD, backendName: 'wasm', kernelFunc: backward };

/** y, the batch mean and the biased batch variance, on the fused kernel. */
export function batchNormTrainForward(x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D, epsilon: number): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  return tf.engine().runKernel(BATCH_NORM_TRAIN, { x, scale, offset }, { epsilon }) as unknown as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
}

/** dx, dγ, dβ on the fused kernel. */
export function batchNormTrainBackward(dy: tf.Tensor, x: tf.Tensor, mean: tf.Tensor1D, variance: tf.Tensor1D, scale: tf.Tensor1D, epsilon: number): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  return tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy, x, mean, variance, scale }, { epsilon }) as unknown as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
}
