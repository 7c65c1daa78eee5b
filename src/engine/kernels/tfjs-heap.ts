import { channelFunctions, type ChannelFunctions } from './wasm-channels/channel-module';

interface EmscriptenModule {
  /** The threaded build's shared heap. */
  readonly wasmMemory?: WebAssembly.Memory;
  /** The other builds' heap, the module's exported memory. */
  readonly asm?: { readonly memory?: WebAssembly.Memory };
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
