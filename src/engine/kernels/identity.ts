import * as tf from '@tensorflow/tfjs';
import type { IdentityInputs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/**
 * The stock WASM Identity copies the data, and tfjs clones (an Identity) every
 * tensor a gradient saves, hundreds per ResNet step. Tensors are immutable, so
 * the copy can share the data and count one more reference, as the CPU and
 * WebGL backends do.
 */
const identity: KernelFunc = ({ inputs, backend }) => {
  const x = (inputs as IdentityInputs).x as TensorInfo;
  (backend as KernelBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

export const identityConfig: KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: identity,
};
