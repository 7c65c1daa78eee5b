import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';

/**
 * A kernel receives TensorInfos, but composing it from ops needs Tensors.
 * Ops always pass real Tensors, which are used as they are; anything else is
 * wrapped, and the backend's reference count raised so that disposing the
 * wrapper (e.g. at the end of a tidy) does not free the caller's data.
 * `backend` is untyped because tfjs hands it to kernels untyped.
 */
export function tensorOf<R extends tf.Rank>(info: TensorInfo, backend: unknown): tf.Tensor<R> {
  if (info instanceof tf.Tensor) return info as tf.Tensor<R>;
  const kernelBackend = backend as KernelBackend;
  const wrapper = tf.engine().makeTensorFromTensorInfo(info, kernelBackend) as tf.Tensor<R>;
  kernelBackend.incRef(info.dataId);
  return wrapper;
}
