import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, MaxPoolGradInputs, TensorInfo } from '@tensorflow/tfjs';
import type { KernelWrapper } from './kernel-wrapper';
import { wasmMemory } from './host-memory';
import { channelFunctionsOnHeap, heapAddress } from './tfjs-heap';

/** A k×k pool with stride k and no padding: windows tile the image, each pixel in at most one. */
function tilingWindow(input: TensorInfo, attrs: MaxPoolGradAttrs): number | null {
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const k = info.filterHeight;
  const tiles = info.filterWidth === k && info.strideHeight === k && info.strideWidth === k;
  const unpadded = info.padInfo.top === 0 && info.padInfo.left === 0 && info.outHeight * k <= info.inHeight && info.outWidth * k <= info.inWidth;
  return tiles && unpadded && info.outHeight > 0 && info.outWidth > 0 ? k : null;
}

/**
 * The stock WASM MaxPoolGrad is a scalar loop, the slowest kernel of a
 * LeNet-5 step, and wrong when a window's maximum is ≤ 0: it then sends the
 * gradient to the window's first pixel (a ghost activation's negative outputs
 * reach such windows; after a ReLU the error is masked). When the windows tile
 * the image (MaxPool2d(k), as every pool in the lab), each window's gradient
 * goes to its first maximum in row-major order, as in tfjs's CPU kernel and
 * PyTorch. That is one pass over the input on the WASM heap: the channel
 * module's, 4 channels at a time where there are 4 or more (LeNet-5's
 * two pool gradients: 5 ms per step in JavaScript, ~1 ms here), or the same
 * pass in JavaScript where that module cannot compile. Composing it from ops
 * (transposes, ArgMax, OneHot) took five times as long as the JavaScript.
 * Other pools go to the stock kernel.
 */
function wrap(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { dy, input } = args.inputs as MaxPoolGradInputs;
    const x = input as TensorInfo;
    const k = tilingWindow(x, args.attrs as unknown as MaxPoolGradAttrs);
    if (k === null) return stock.kernelFunc(args);
    const memory = wasmMemory(args.backend);
    const output = memory.allocate(x.shape);
    const [values, gradient, result] = [x, dy as TensorInfo, output].map((info) => memory.view(info)) as [Float32Array, Float32Array, Float32Array];
    const [batch, height, width, channels] = x.shape as Shape4D;
    const [, outHeight, outWidth] = (dy as TensorInfo).shape as Shape4D;
    const functions = channelFunctionsOnHeap(args.backend);
    if (functions === null) {
      routeToFirstMaxima(values, gradient, result, [batch, height, width, channels], [batch, outHeight, outWidth, channels], k);
      return output;
    }
    // The module writes every pixel of every window; only pixels past the last whole window need clearing.
    if (outHeight * k < height || outWidth * k < width) result.fill(0);
    const pass = channels >= 4 ? functions.maxPoolGradient4 : functions.maxPoolGradient1;
    pass(heapAddress(values), heapAddress(gradient), heapAddress(result), batch, height, width, channels, outHeight, outWidth, k);
    return output;
  };
  return { ...stock, kernelFunc };
}

type Shape4D = [number, number, number, number];

/** dx = 0 but at each k×k window's first maximum (per channel), which gets the window's dy. NHWC. */
export function routeToFirstMaxima(x: Float32Array, dy: Float32Array, dx: Float32Array, [batch, height, width, channels]: Shape4D, [, outHeight, outWidth]: Shape4D, k: number): void {
  dx.fill(0);
  const rowStride = width * channels;
  let gradientIndex = 0;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < outHeight; r++) {
      for (let c = 0; c < outWidth; c++) {
        const corner = ((n * height + r * k) * width + c * k) * channels;
        for (let ch = 0; ch < channels; ch++) {
          let at = corner + ch;
          let best = x[at]!;
          for (let dr = 0; dr < k; dr++) {
            const row = corner + ch + dr * rowStride;
            for (let dc = 0; dc < k; dc++) {
              const index = row + dc * channels;
              const value = x[index]!;
              if (value > best) {
                best = value;
                at = index;
              }
            }
          }
          dx[at] = dy[gradientIndex++]!;
        }
      }
    }
  }
}

export const maxPoolGradWrapper: KernelWrapper = { kernelName: tf.MaxPoolGrad, backendName: 'wasm', wrap };
