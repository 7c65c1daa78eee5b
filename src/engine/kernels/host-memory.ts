import type { TensorInfo } from '@tensorflow/tfjs';

/**
 * Direct access to the float32 values of WASM tensors, as views of the
 * module's heap. A memory-bound kernel that tfjs would compose from several
 * passes (transposes, gathers) is then one JavaScript loop.
 */
export interface HostMemory {
  /** A new float32 tensor of the backend, uninitialised. */
  allocate(shape: readonly number[]): TensorInfo;
  /** The values of a float32 tensor, writable. Take views only after the last allocate: the heap may move as it grows. */
  view(info: TensorInfo): Float32Array;
}

interface WasmBackendMemory {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/** `backend` is untyped because tfjs hands it to kernels untyped. */
export function wasmMemory(backend: unknown): HostMemory {
  const wasm = backend as WasmBackendMemory;
  return {
    allocate: (shape) => wasm.makeOutput([...shape], 'float32'),
    view: (info) => {
      if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
      return wasm.typedArrayFromHeap(info);
    },
  };
}
