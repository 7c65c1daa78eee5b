import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wasmMemory } from './host-memory';
import { channelFunctionsOnHeap, heapAddress as address, heapPassLanes, shares } from './tfjs-heap';
import { functionIndex } from './wasm-gemm/heap-layout';
import type { Call, HeapLanes } from './wasm-gemm/relaxed-gemm';

/**
 * BatchNorm with batch statistics on WASM in five passes over the
 * activations (forward: the sum, the centered squares, y; backward: both sums
 * a block of rows at a time, then dx) instead of the dozen tfjs composes
 * it from, each a SIMD loop of the lab's channel module straight on tfjs's
 * heap (no copies). Same formulas as batch-normalize.ts, PyTorch's:
 *   forward: mean, biased variance Σ(x − mean)²/N, y = (x − mean)·γ/√(var + ε) + β
 *   backward: dβ = Σ dy, dγ = invstd · Σ (x − mean)·dy,
 *     dx = dy·g − (x − mean)·k·g − g·Σ dy / N, with g = invstd·γ, k = invstd² · Σ (x − mean)·dy / N.
 * Sums run in float32 over blocks of rows and in float64 across blocks, in block order. Where the lab's product
 * works in tfjs's shared heap, its helper threads take runs of blocks and of rows (HeapLanes): the same sums, bit
 * for bit, as on one thread.
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

const [SUM_ROWS, SUM_PRODUCTS, AFFINE, AFFINE2] = (['sumRows', 'sumProducts', 'affine', 'affine2'] as const).map(functionIndex) as [number, number, number, number];

/**
 * Per block of BLOCK_ROWS rows, the float32 sums `calls(first row, count, block)` write (each to its block's
 * slot of a partials array), on the lanes, each lane a run of blocks.
 */
function blockPasses(lanes: HeapLanes, rows: number, channels: number, calls: (first: number, count: number, block: number) => Call[]): void {
  const blocks = Math.ceil(rows / BLOCK_ROWS);
  const runs = shares(blocks, Math.min(lanes.lanesFor(rows * channels), blocks));
  lanes.execute(
    runs.map(([firstBlock, count]) =>
      Array.from({ length: count }, (_, i) => firstBlock + i).flatMap((block) => calls(block * BLOCK_ROWS, Math.min(BLOCK_ROWS, rows - block * BLOCK_ROWS), block)),
    ),
  );
}

/** Σ over blocks, in block order and in float64, of `partials` ([blocks × channels]). */
function sumBlocks(partials: Float32Array, rows: number, channels: number): Float64Array {
  const sums = new Float64Array(channels);
  for (let block = 0; block < Math.ceil(rows / BLOCK_ROWS); block++) for (let c = 0; c < channels; c++) sums[c]! += partials[block * channels + c]!;
  return sums;
}

/** A pass over whole rows, `call(first row, count)`, split over the lanes in runs of rows. */
function rowPasses(lanes: HeapLanes, rows: number, channels: number, call: (first: number, count: number) => Call): void {
  lanes.execute(shares(rows, lanes.lanesFor(rows * channels)).map(([first, count]) => [call(first, count)]));
}

/** What both kernels start from: the lanes for passes on the backend's heap, its memory, and x seen as [rows × channels]. */
function onHeap(backend: unknown, x: TensorInfo) {
  const channels = x.shape[x.shape.length - 1]!;
  const rows = x.shape.reduce((a, b) => a * b, 1) / channels;
  return { lanes: heapPassLanes(backend), memory: wasmMemory(backend), channels, rows, rowBytes: channels * 4, blocks: Math.ceil(rows / BLOCK_ROWS) };
}

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, scale, offset } = inputs as { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
  const epsilon = (attrs as { epsilon: number }).epsilon;
  const { lanes, memory, channels, rows, rowBytes, blocks } = onHeap(backend, x);
  const output = memory.allocate(x.shape);
  const mean = memory.allocate([channels]);
  const variance = memory.allocate([channels]);
  const scratchInfo = memory.allocate([(blocks + 1) * channels]);
  // Views after the last allocation: the heap may have grown.
  const [xs, outputs, means, variances, scratch, gammas, offsets] = [x, output, mean, variance, scratchInfo, scale, offset].map((info) => memory.view(info)) as Float32Array[];
  const partials = scratch!.subarray(0, blocks * channels);
  const p = scratch!.subarray(blocks * channels);
  const [xAt, partialsAt] = [address(xs!), address(partials)];
  const partialAt = (block: number) => partialsAt + block * rowBytes;
  blockPasses(lanes, rows, channels, (first, count, block) => [[SUM_ROWS, xAt + first * rowBytes, count, channels, partialAt(block)]]);
  const sums = sumBlocks(partials, rows, channels);
  for (let c = 0; c < channels; c++) means![c] = sums[c]! / rows;
  const meansAt = address(means!);
  blockPasses(lanes, rows, channels, (first, count, block) => [[SUM_PRODUCTS, xAt + first * rowBytes, meansAt, xAt + first * rowBytes, meansAt, count, channels, partialAt(block)]]);
  const squares = sumBlocks(partials, rows, channels);
  for (let c = 0; c < channels; c++) {
    variances![c] = squares[c]! / rows;
    p[c] = gammas![c]! / Math.sqrt(variances![c]! + epsilon);
  }
  const [pAt, offsetsAt, outputsAt] = [address(p), address(offsets!), address(outputs!)];
  rowPasses(lanes, rows, channels, (first, count) => [AFFINE, xAt + first * rowBytes, meansAt, pAt, offsetsAt, count, channels, outputsAt + first * rowBytes]);
  (backend as tf.KernelBackend).disposeData(scratchInfo.dataId);
  return [output, mean, variance];
};

const backward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, mean, variance, scale } = inputs as { dy: TensorInfo; x: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale: TensorInfo };
  const epsilon = (attrs as { epsilon: number }).epsilon;
  const { lanes, memory, channels, rows, rowBytes, blocks } = onHeap(backend, x);
  const dx = memory.allocate(x.shape);
  const dScale = memory.allocate([channels]);
  const dOffset = memory.allocate([channels]);
  const scratchInfo = memory.allocate([(2 * blocks + 4) * channels]);
  const [dys, xs, means, variances, gammas, dxs, dScales, dOffsets, scratch] = [dy, x, mean, variance, scale, dx, dScale, dOffset, scratchInfo].map((info) =>
    memory.view(info),
  ) as Float32Array[];
  const dyPartials = scratch!.subarray(0, blocks * channels);
  const dotPartials = scratch!.subarray(blocks * channels, 2 * blocks * channels);
  const [p, q, r, zeros] = [0, 1, 2, 3].map((i) => scratch!.subarray((2 * blocks + i) * channels, (2 * blocks + i + 1) * channels)) as [Float32Array, Float32Array, Float32Array, Float32Array];
  zeros.fill(0);
  const [dyAt, xAt, meansAt, zerosAt] = [address(dys!), address(xs!), address(means!), address(zeros)];
  // Both sums a block at a time: the second finds the block of dy in cache (one pass over dy, not two).
  blockPasses(lanes, rows, channels, (first, count, block) => [
    [SUM_ROWS, dyAt + first * rowBytes, count, channels, address(dyPartials) + block * rowBytes],
    [SUM_PRODUCTS, dyAt + first * rowBytes, zerosAt, xAt + first * rowBytes, meansAt, count, channels, address(dotPartials) + block * rowBytes],
  ]);
  const sumDy = sumBlocks(dyPartials, rows, channels);
  const dot = sumBlocks(dotPartials, rows, channels);
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
  const [pAt, qAt, rAt, dxAt] = [address(p), address(q), address(r), address(dxs!)];
  rowPasses(lanes, rows, channels, (first, count) => [AFFINE2, dyAt + first * rowBytes, pAt, xAt + first * rowBytes, meansAt, qAt, rAt, count, channels, dxAt + first * rowBytes]);
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
