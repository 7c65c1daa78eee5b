import * as tf from '@tensorflow/tfjs';
import type { BatchMatMulAttrs, BatchMatMulInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelWrapper } from './kernel-wrapper';
import { tensorOf } from './tensor-of';

const batchSize = (shape: readonly number[]) => shape.slice(0, -2).reduce((a, b) => a * b, 1);

/** Swaps the last two axes. */
function transposeMatrices(t: tf.Tensor): tf.Tensor {
  const axes = t.shape.map((_, i) => i);
  axes.splice(-2, 2, t.rank - 1, t.rank - 2);
  return tf.transpose(t, axes);
}

/**
 * The WASM backend multiplies on XNNPACK only one pair of matrices without
 * transpose flags; with a flag it runs a scalar triple loop, several times
 * slower. Every linear layer sets one (its weight is [out, in], as in PyTorch),
 * and so does its weight gradient. Transposing the flagged operand first costs
 * one copy and keeps the product on XNNPACK. Batched products stay as they are.
 */
function wrap(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as BatchMatMulInputs;
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const single = batchSize((a as TensorInfo).shape) === 1 && batchSize((b as TensorInfo).shape) === 1;
    if (!single || (!transposeA && !transposeB)) return stock.kernelFunc(args);
    return tf.tidy(() => {
      const left = tensorOf(a as TensorInfo, args.backend);
      const right = tensorOf(b as TensorInfo, args.backend);
      return tf.matMul(transposeA ? transposeMatrices(left) : left, transposeB ? transposeMatrices(right) : right);
    });
  };
  return { ...stock, kernelFunc };
}

export const batchMatMulWrapper: KernelWrapper = { kernelName: tf.BatchMatMul, backendName: 'wasm', wrap };
