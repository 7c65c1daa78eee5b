import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo, UnaryInputs } from '@tensorflow/tfjs';
import { wasmMemory } from './host-memory';
import type { KernelWrapper } from './kernel-wrapper';
import { heapAddress, shares, threadedPassLanes } from './tfjs-heap';
import { functionIndex } from './wasm-gemm/heap-layout';

/**
 * ReLU and adds of two tensors of one shape, split over the lab's product's
 * threads where it works in tfjs's shared heap (HeapLanes): tfjs runs them on
 * one thread (its own pool keeps to one where the product takes the cores,
 * and in Node), and in a ResNet step they are passes over every activation.
 * Elsewhere, and for small tensors, tfjs's own kernels run them.
 */

const [RELU, ADD_VECTORS] = (['relu', 'addVectors'] as const).map(functionIndex) as [number, number];

/** `out = f(inputs)` float by float on the lanes, whole vectors of 4 floats by `index`, the last few by `tail`; `null` if the lanes would not split it. */
function onLanes(backend: unknown, inputs: readonly TensorInfo[], index: number, tail: (values: readonly number[]) => number): TensorInfo | null {
  const [first] = inputs;
  if (first === undefined || inputs.some((input) => input.dtype !== 'float32' || !tf.util.arraysEqual(input.shape, first.shape))) return null;
  const size = tf.util.sizeFromShape(first.shape);
  const lanes = threadedPassLanes(backend, size);
  if (lanes === null) return null;
  const memory = wasmMemory(backend);
  const output = memory.allocate(first.shape);
  // Views after the last allocation: the heap may have grown.
  const views = inputs.map((input) => memory.view(input));
  const out = memory.view(output);
  const vectors = Math.floor(size / 4);
  const addresses = views.map(heapAddress);
  lanes.execute(
    shares(vectors, lanes.lanesFor(size)).map(([firstVector, count]) => [
      [index, ...addresses.map((at) => at + 16 * firstVector), count, heapAddress(out) + 16 * firstVector],
    ]),
  );
  for (let i = 4 * vectors; i < size; i++) out[i] = tail(views.map((view) => view[i]!));
  return output;
}

/** a + b for two float32 tensors of one shape on the lanes, else `null`; rounds as tfjs's add does. */
export function addOnLanes(backend: unknown, a: TensorInfo, b: TensorInfo): TensorInfo | null {
  return onLanes(backend, [a, b], ADD_VECTORS, ([x, y]) => x! + y!);
}

/** max(x, 0) as WASM's f32x4.max takes it: NaN stays NaN, −0 gives +0. */
const reluOf = (x: number) => (Number.isNaN(x) ? x : Math.max(x, 0));

function wrapRelu(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as UnaryInputs;
    return onLanes(args.backend, [x as TensorInfo], RELU, ([value]) => reluOf(value!)) ?? stock.kernelFunc(args);
  };
  return { ...stock, kernelFunc };
}

export const reluOnLanesWrapper: KernelWrapper = { kernelName: tf.Relu, backendName: 'wasm', wrap: wrapRelu };
