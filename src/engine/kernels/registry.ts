import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
// Importing the backend registers its stock kernels first, so that replacing
// one below cannot be undone by the backend module loading later.
import '@tensorflow/tfjs-backend-wasm';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseConv2dBackpropFilterConfig } from './depthwise-conv2d-backprop-filter';
import { depthwiseConv2dBackpropInputConfig } from './depthwise-conv2d-backprop-input';

/** Kernels the WASM backend lacks for training CNNs. Should a later tfjs ship its own, that one is kept. */
export const MISSING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
];

/** Kernels that replace the WASM backend's own: as exact, and faster in bench/kernels.ts. */
export const FASTER_KERNELS: readonly KernelConfig[] = [conv2dBackpropInputConfig];

/** Registers the training kernels for WASM; calling it again changes nothing. */
export function registerTrainingKernels(): void {
  for (const config of MISSING_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
  for (const config of FASTER_KERNELS) {
    const registered = tf.getKernel(config.kernelName, config.backendName);
    if (registered?.kernelFunc === config.kernelFunc) continue;
    if (registered !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
}
