import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, SumAttrs, SumInputs, TensorInfo } from '@tensorflow/tfjs';
import type { KernelWrapper } from './kernel-wrapper';
import { tensorOf } from './tensor-of';

/** Whether `axis` names every axis of `shape` but the last (the NHWC channels, or a linear layer's features). */
function reducesAllButLast(shape: readonly number[], axis: number | number[]): boolean {
  if (shape.length < 2) return false;
  const axes = tf.util.parseAxisParam(axis, shape as number[]);
  return new Set(axes).size === shape.length - 1 && axes.every((a) => a < shape.length - 1);
}

/**
 * Sums or averages over every axis but the last, as BatchNorm's statistics and
 * gradients and every bias gradient do: the stock WASM reduction first
 * transposes the input to put the reduced axes last (4–20× slower). Seen as a
 * one-column image of `count` rows, [1, count, 1, channels], the input has
 * one average-pooling window, which XNNPACK averages per channel in place; a
 * sum is that mean times the count. Other reductions, and integer inputs, go
 * to the stock kernel.
 */
/** `scale` is what the per-channel mean is multiplied by. */
function channelReduction(scale: (count: number) => number) {
  return (stock: KernelConfig): KernelConfig => {
    const kernelFunc: KernelFunc = (args) => {
      const x = (args.inputs as SumInputs).x as TensorInfo;
      const { axis, keepDims } = args.attrs as unknown as SumAttrs;
      const channels = x.shape[x.shape.length - 1]!;
      const count = channels === 0 ? 0 : x.shape.reduce((a, b) => a * b, 1) / channels;
      if (x.dtype !== 'float32' || count === 0 || !reducesAllButLast(x.shape, axis)) return stock.kernelFunc(args);
      return tf.tidy(() => {
        const column = tf.reshape(tensorOf(x, args.backend), [1, count, 1, channels]) as tf.Tensor4D;
        const mean = tf.avgPool(column, [count, 1], 1, 'valid');
        const reduced = scale(count) === 1 ? mean : tf.mul(mean, scale(count));
        return tf.reshape(reduced, keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels]);
      });
    };
    return { ...stock, kernelFunc };
  };
}

export const sumWrapper: KernelWrapper = { kernelName: tf.Sum, backendName: 'wasm', wrap: channelReduction((count) => count) };
export const meanWrapper: KernelWrapper = { kernelName: tf.Mean, backendName: 'wasm', wrap: channelReduction(() => 1) };
