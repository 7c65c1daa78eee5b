import * as tf from '@tensorflow/tfjs';
import { trainingRun } from './step-time';
import type { Workload } from './workloads';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const last = (shape: readonly number[]) => shape[shape.length - 1]!;

/**
 * Multiply-adds of one kernel call from the shapes tf.profile records (no
 * attributes, so each count is written to hold whatever the transposes).
 * Kernels that are not products count 0: the figure is the GEMM work.
 */
function multiplyAdds(name: string, inputs: readonly number[][], output: readonly number[]): number {
  const [first = [], second = []] = inputs;
  switch (name) {
    case 'BatchMatMul':
      // out [.., M, N], a holds M·K per batch entry: M·N·K = size(a)·N.
      return size(first) * last(output);
    case 'Conv2D':
      // filter [kh, kw, in, out]: each output value takes kh·kw·in products.
      return size(output) * (size(second) / last(second));
    case 'Conv2DBackpropInput':
      // inputs [dy, filter]: the forward convolution's products, once more.
      return size(first) * (size(second) / last(second));
    case 'Conv2DBackpropFilter':
      // inputs [x, dy], output the filter [kh, kw, in, out].
      return size(second) * (size(output) / last(output));
    case 'DepthwiseConv2dNative':
      return size(output) * second[0]! * second[1]!;
    case 'DepthwiseConv2dNativeBackpropInput':
      return size(first) * second[0]! * second[1]!;
    case 'DepthwiseConv2dNativeBackpropFilter':
      return size(second) * output[0]! * output[1]!;
    default:
      return 0;
  }
}

/**
 * Floating-point operations (2 per multiply-add) of the products in one
 * training step per image: a step of two images profiled on tfjs's CPU
 * backend, whose kernels are each one op (no composed kernels nest there).
 * Only the gradients a step needs are computed (none for the input image).
 */
export async function stepGflopPerImage(workload: Workload): Promise<number> {
  // getBackend() is undefined before any backend has started.
  const previous = tf.getBackend() as string | undefined;
  await tf.setBackend('cpu');
  const batch = 2;
  const run = trainingRun(workload, null);
  const x = tf.randomNormal([batch, ...workload.inputShape]);
  const labels = tf.tensor1d([0, 1], 'int32');
  try {
    const profile = await tf.profile(() => {
      run.step(x, labels, 0, { lr: 0.01, momentum: 0.9, weightDecay: 2e-4 }).dispose();
    });
    const total = profile.kernels.reduce((sum, kernel) => sum + multiplyAdds(kernel.name, kernel.inputShapes as number[][], kernel.outputShapes[0] as number[]), 0);
    return (2 * total) / batch / 1e9;
  } finally {
    run.dispose();
    tf.dispose([x, labels]);
    if (previous) await tf.setBackend(previous);
  }
}
