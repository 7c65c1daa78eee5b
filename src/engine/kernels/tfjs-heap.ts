import { channelFunctions, type ChannelFunctions } from './wasm-channels/channel-module';
import { isSharedMemory, type SharedHeap } from './wasm-gemm/shared-heap';

interface EmscriptenModule {
  /** The threaded build's shared heap. */
  readonly wasmMemory?: WebAssembly.Memory;
  /** The other builds' heap, the module's exported memory. */
  readonly asm?: { readonly memory?: WebAssembly.Memory };
  readonly _malloc?: (bytes: number) => number;
  readonly _free?: (address: number) => void;
}

/**
 * The WASM backend's heap for the lab's product to work in (its threaded
 * build's, which is shared), or `null`: another backend, or a heap that is not
 * shared memory.
 */
export function sharedHeapOf(backend: unknown): SharedHeap | null {
  const module = (backend as { wasm?: EmscriptenModule } | null)?.wasm;
  const memory = module?.wasmMemory;
  const [malloc, free] = [module?._malloc, module?._free];
  if (!(memory instanceof WebAssembly.Memory) || !isSharedMemory(memory) || !malloc || !free) return null;
  return { memory, allocate: (bytes) => malloc(bytes), free: (address) => free(address) };
}

/**
 * The WASM backend's heap and the lab's channel functions over it (they
 * import that very memory, so they read and write tensors in place), or
 * `null` if either is out of reach. `backend` is untyped because tfjs hands
 * it to kernels untyped.
 */
export function channelFunctionsOnHeap(backend: unknown): ChannelFunctions | null {
  const module = (backend as { wasm?: EmscriptenModule }).wasm;
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  return channelFunctions(memory);
}

/** A view's address in the heap, as the channel functions take it. */
export const heapAddress = (view: Float32Array): number => view.byteOffset;
