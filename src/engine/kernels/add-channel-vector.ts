import * as tf from '@tensorflow/tfjs';
import type { BinaryInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { addOnLanes } from './elementwise-on-lanes';
import { wasmMemory } from './host-memory';
import type { KernelWrapper } from './kernel-wrapper';
import { channelFunctionsOnHeap, heapAddress } from './tfjs-heap';

/** Below this many floats the stock kernel is kept: setting up the pattern would cost more than it saves. */
const MIN_SIZE = 4096;

const greatestCommonDivisor = (a: number, b: number): number => (b === 0 ? a : greatestCommonDivisor(b, a % b));

/** The big operand and the per-channel one, if this add is a tensor plus one value per channel (a bias). */
function channelVectorOperands(a: TensorInfo, b: TensorInfo): { x: TensorInfo; vector: TensorInfo } | null {
  for (const [x, vector] of [
    [a, b],
    [b, a],
  ] as const) {
    const channels = x.shape[x.shape.length - 1];
    const perChannel = vector.shape.length >= 1 && vector.shape.at(-1) === channels && vector.shape.slice(0, -1).every((size) => size === 1);
    const size = x.shape.reduce((p, q) => p * q, 1);
    if (x.shape.length >= 2 && vector.shape.length <= x.shape.length && perChannel && size >= MIN_SIZE && x.dtype === 'float32' && vector.dtype === 'float32') {
      return { x, vector };
    }
  }
  return null;
}

/**
 * x + b with b one value per channel, as a conv or dense layer adds its bias.
 * XNNPACK broadcasts a vector of few channels slowly: 1.3 ms for LeNet-5's
 * first activations (6 channels) against 0.3 ms for an add of two tensors of
 * their shape. Here the bias is repeated into a pattern of whole SIMD vectors
 * (lcm(channels, 4) floats) and added by the channel module's affine pass,
 * (x − 0)·1 + b, which rounds exactly as x + b does.
 */
function wrap(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as BinaryInputs;
    // Two tensors of one shape: on the product's threads where it works in tfjs's heap (elementwise-on-lanes.ts).
    const onLanes = addOnLanes(args.backend, a as TensorInfo, b as TensorInfo);
    if (onLanes !== null) return onLanes;
    const operands = channelVectorOperands(a as TensorInfo, b as TensorInfo);
    const functions = operands === null ? null : channelFunctionsOnHeap(args.backend);
    if (operands === null || functions === null) return stock.kernelFunc(args);
    const { x, vector } = operands;
    const channels = x.shape[x.shape.length - 1]!;
    const period = (channels * 4) / greatestCommonDivisor(channels, 4);
    const memory = wasmMemory(args.backend);
    const output = memory.allocate(x.shape);
    const scratchInfo = memory.allocate([3 * period]);
    // Views after the last allocation: the heap may have grown.
    const [values, bias, outputs, scratch] = [x, vector, output, scratchInfo].map((info) => memory.view(info)) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const [zeros, ones, pattern] = [0, 1, 2].map((i) => scratch.subarray(i * period, (i + 1) * period)) as [Float32Array, Float32Array, Float32Array];
    zeros.fill(0);
    ones.fill(1);
    for (let i = 0; i < period; i++) pattern[i] = bias[i % channels]!;
    const rows = Math.floor(values.length / period);
    functions.affine(heapAddress(values), heapAddress(zeros), heapAddress(ones), heapAddress(pattern), rows, period, heapAddress(outputs));
    for (let i = rows * period; i < values.length; i++) outputs[i] = values[i]! + bias[i % channels]!;
    (args.backend as tf.KernelBackend).disposeData(scratchInfo.dataId);
    return output;
  };
  return { ...stock, kernelFunc };
}

export const addChannelVectorWrapper: KernelWrapper = { kernelName: tf.Add, backendName: 'wasm', wrap };
