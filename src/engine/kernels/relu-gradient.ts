import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wasmMemory } from './host-memory';
import { channelFunctionsOnHeap, heapAddress, heapPassLanes, shares } from './tfjs-heap';
import { functionIndex } from './wasm-gemm/heap-layout';

/**
 * ReLU's gradient, dy where x > 0 and 0 elsewhere. tfjs composes it as
 * dy · float(step(x)): three passes over the activations, each a new tensor.
 * On WASM it is one SIMD pass of the channel module on tfjs's heap; other
 * backends keep tfjs's composition, which this gradient repeats exactly.
 */
export const RELU_GRADIENT = 'LabReluGradient';

const RELU_GRADIENT_PASS = functionIndex('reluGradient');

const kernelFunc: KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  const lanes = heapPassLanes(backend);
  const memory = wasmMemory(backend);
  const output = memory.allocate(x.shape);
  const [gradients, values, outputs] = [dy, x, output].map((info) => memory.view(info)) as [Float32Array, Float32Array, Float32Array];
  const vectors = Math.floor(values.length / 4);
  const [dyAt, xAt, outAt] = [heapAddress(gradients), heapAddress(values), heapAddress(outputs)];
  // Runs of vectors on the product's threads where it works in this heap (HeapLanes), else on this thread.
  lanes.execute(shares(vectors, lanes.lanesFor(values.length)).map(([first, count]) => [[RELU_GRADIENT_PASS, dyAt + 16 * first, xAt + 16 * first, count, outAt + 16 * first]]));
  for (let i = 4 * vectors; i < values.length; i++) outputs[i] = values[i]! > 0 ? gradients[i]! : 0;
  return output;
};

export const reluGradientConfig: KernelConfig = { kernelName: RELU_GRADIENT, backendName: 'wasm', kernelFunc };

/** dy where x > 0, else 0: fused on WASM, tfjs's own composition elsewhere. */
export function reluGradient(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const fused =
    tf.getBackend() === 'wasm' &&
    dy.dtype === 'float32' &&
    x.dtype === 'float32' &&
    tf.util.arraysEqual(dy.shape, x.shape) &&
    tf.getKernel(RELU_GRADIENT, 'wasm') !== undefined &&
    channelFunctionsOnHeap(tf.backend()) !== null;
  if (fused) return tf.engine().runKernel(RELU_GRADIENT, { dy, x }) as tf.Tensor;
  return tf.mul(dy, tf.cast(tf.step(x), 'float32'));
}

/** Replaces tfjs's gradient of Relu (the same definition) so that WASM gets the fused kernel. */
export const reluGradConfig: GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => reluGradient(dy as tf.Tensor, saved[0]!) }),
};
