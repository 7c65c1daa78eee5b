/**
 * A shared memory the product can work in instead of one of its own: tfjs's
 * WASM heap, where the threaded build's is shared (kernels/tfjs-heap.ts).
 * The product then reads its operands and writes its results in place, where
 * they are tensors of that heap, and keeps its scratch space there.
 */
export interface SharedHeap {
  readonly memory: WebAssembly.Memory;
  /** Reserves `bytes` of the heap; returns their address, or 0 if there is no room. */
  allocate(bytes: number): number;
  /** Gives back what allocate returned. */
  free(address: number): void;
}

/** Whether `memory` can be shared with the product's helper threads. */
export const isSharedMemory = (memory: WebAssembly.Memory): boolean =>
  typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
