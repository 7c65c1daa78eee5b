import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelWrapper } from './kernel-wrapper';

/** The part of the WebGPU backend this wrapper reads (its class is not exported). */
interface StorageBufferLimited {
  readonly device: { readonly limits: { readonly maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: object): boolean;
}

/**
 * WebGPU's AddN binds every input and the output as storage buffers of one
 * shader. tfjs 4.22 asks for a device with the default limit of 8 per stage,
 * so a sum of 8 or more tensors (the weight mass Σ|w| of LeNet-5 has 10)
 * fails validation; WebGPU reports that only as an uncaptured device error,
 * and the step reads back zeros. Concat has the same limit and tfjs splits it;
 * AddN is split here the same way: groups that fit, summed, then their sums.
 */
export function addNInGroups(stock: KernelConfig, maxInputsOf: (backend: unknown) => number): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const maxInputs = Math.max(2, maxInputsOf(args.backend));
    if (inputs.length <= maxInputs) return stock.kernelFunc(args);
    const partialSums: TensorInfo[] = [];
    for (let start = 0; start < inputs.length; start += maxInputs) {
      partialSums.push(stock.kernelFunc({ ...args, inputs: inputs.slice(start, start + maxInputs) as never }) as TensorInfo);
    }
    const total = kernelFunc({ ...args, inputs: partialSums as never }) as TensorInfo;
    const backend = args.backend as Pick<StorageBufferLimited, 'disposeData'>;
    for (const partial of partialSums) backend.disposeData(partial.dataId);
    return total;
  };
  return { ...stock, kernelFunc };
}

export const addNWebgpuWrapper: KernelWrapper = {
  kernelName: 'AddN',
  backendName: 'webgpu',
  // One storage buffer is the output's.
  wrap: (stock) => addNInGroups(stock, (backend) => (backend as StorageBufferLimited).device.limits.maxStorageBuffersPerShaderStage - 1),
};
