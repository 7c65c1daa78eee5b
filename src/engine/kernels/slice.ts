import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, SliceAttrs, SliceInputs, TensorInfo } from '@tensorflow/tfjs';
import type { KernelWrapper } from './kernel-wrapper';

/** The parts of the WASM backend this kernel uses (its class is not exported). */
interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * The stock WASM Slice is JavaScript that first copies the whole input out of
 * the WASM heap (readSync), then the part it keeps. Reading the input in
 * place halves the copying; the part kept is copied in the longest
 * contiguous runs the shapes allow. Strings go to the stock kernel.
 */
function wrap(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = (args.inputs as SliceInputs).x as TensorInfo;
    if (x.dtype === 'string') return stock.kernelFunc(args);
    const { begin, size } = args.attrs as unknown as SliceAttrs;
    const [start, extent] = tf.slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
    const heap = args.backend as WasmHeap;
    // Allocate first: growing the heap replaces the buffer the views look at.
    const out = heap.makeOutput(extent, x.dtype);
    if (extent.some((n) => n === 0)) return out;
    const input = heap.typedArrayFromHeap(x);
    const output = heap.typedArrayFromHeap(out);
    const rank = x.shape.length;
    const strides = tf.util.computeStrides(x.shape);
    // Trailing axes kept whole join the run of the last partial axis before them.
    let runAxis = rank - 1;
    while (runAxis > 0 && extent[runAxis] === x.shape[runAxis]) runAxis--;
    const run = extent.slice(runAxis).reduce((a, b) => a * b, 1);
    let runStart = 0;
    for (let axis = runAxis; axis < rank; axis++) runStart += start[axis]! * (axis === rank - 1 ? 1 : strides[axis]!);
    const index = new Array<number>(runAxis).fill(0);
    for (let written = 0; written < output.length; written += run) {
      let offset = runStart;
      for (let axis = 0; axis < runAxis; axis++) offset += (start[axis]! + index[axis]!) * strides[axis]!;
      output.set(input.subarray(offset, offset + run), written);
      for (let axis = runAxis - 1; axis >= 0; axis--) {
        if (++index[axis]! < extent[axis]!) break;
        index[axis] = 0;
      }
    }
    return out;
  };
  return { ...stock, kernelFunc };
}

export const sliceWrapper: KernelWrapper = { kernelName: tf.Slice, backendName: 'wasm', wrap };
