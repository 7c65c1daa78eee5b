import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
// Importing the backend registers its stock kernels first, so that replacing
// one below cannot be undone by the backend module loading later.
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { reluOnLanesWrapper } from './elementwise-on-lanes';
import { addChannelVectorWrapper } from './add-channel-vector';
import { addNWebgpuWrapper } from './add-n-in-groups';
import { batchMatMulWrapper } from './batch-mat-mul';
import { batchNormTrainConfig, batchNormTrainGradConfig } from './batch-norm-train';
import { meanWrapper, sumWrapper } from './channel-reduction';
import { conv2dWrapper } from './conv2d';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseConv2dBackpropFilterConfig } from './depthwise-conv2d-backprop-filter';
import { depthwiseConv2dBackpropInputConfig } from './depthwise-conv2d-backprop-input';
import { identityConfig } from './identity';
import type { KernelWrapper } from './kernel-wrapper';
import { maxPoolGradWrapper } from './max-pool-grad';
import { reluGradConfig, reluGradientConfig } from './relu-gradient';
import { sgdStepConfig } from './sgd-step';
import { sliceWrapper } from './slice';

/**
 * Kernels the WASM backend lacks for training CNNs (should a later tfjs ship
 * its own, that one is kept), and the lab's own fused BatchNorm.
 */
export const MISSING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  batchNormTrainConfig,
  batchNormTrainGradConfig,
  reluGradientConfig,
  sgdStepConfig,
];

/** Kernels that replace the WASM backend's own: as exact, and faster in bench/kernels.ts. */
export const FASTER_KERNELS: readonly KernelConfig[] = [conv2dBackpropInputConfig, identityConfig];

/** Faster or fixed kernels that hand some inputs on to the stock kernel they wrap. */
export const WRAPPED_KERNELS: readonly KernelWrapper[] = [
  addChannelVectorWrapper,
  reluOnLanesWrapper,
  batchMatMulWrapper,
  conv2dWrapper,
  maxPoolGradWrapper,
  sliceWrapper,
  sumWrapper,
  meanWrapper,
  addNWebgpuWrapper,
];

/** Kernel functions made by a wrapper, so wrapping twice is recognised and skipped. */
const wrappedFuncs = new WeakSet<KernelFunc>();

export function isWrapped(config: KernelConfig | undefined): boolean {
  return config !== undefined && wrappedFuncs.has(config.kernelFunc);
}

/** Registers the training kernels for WASM (and WebGPU's fixed AddN) and the gradients that use them; calling it again changes nothing. */
export function registerTrainingKernels(): void {
  tf.registerGradient(reluGradConfig);
  for (const config of MISSING_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);
  }
  for (const config of FASTER_KERNELS) {
    const registered = tf.getKernel(config.kernelName, config.backendName);
    if (registered?.kernelFunc === config.kernelFunc) continue;
    if (registered !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
  for (const wrapper of WRAPPED_KERNELS) {
    const stock = tf.getKernel(wrapper.kernelName, wrapper.backendName);
    if (stock === undefined) throw new Error(`${wrapper.kernelName} has no ${wrapper.backendName} kernel to wrap`);
    if (isWrapped(stock)) continue;
    const wrapped = wrapper.wrap(stock);
    wrappedFuncs.add(wrapped.kernelFunc);
    tf.unregisterKernel(wrapper.kernelName, wrapper.backendName);
    tf.registerKernel(wrapped);
  }
}
