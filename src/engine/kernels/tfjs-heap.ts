import { channelFunctions, type ChannelFunctions } from './wasm-channels/channel-module';
import { GEMM_FUNCTIONS } from './wasm-gemm/gemm-module';
import { relaxedGemm, type HeapLanes } from './wasm-gemm/relaxed-gemm';
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
  const memory = heapMemory(backend);
  return memory === null ? null : channelFunctions(memory);
}

/** The WASM backend's heap, whichever build it started from; `null` for another backend. */
function heapMemory(backend: unknown): WebAssembly.Memory | null {
  const module = (backend as { wasm?: EmscriptenModule } | null)?.wasm;
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/**
 * Lanes for channel passes over the backend's heap: the product's threads where the product works in that heap
 * (relaxed-gemm.ts, HeapLanes), else this thread alone on the channel functions. Calls name GEMM_FUNCTIONS.
 */
export function heapPassLanes(backend: unknown): HeapLanes {
  const lanes = productLanesOnHeap(backend);
  if (lanes !== null) return lanes;
  const functions = channelFunctionsOnHeap(backend) as unknown as Record<string, (...args: number[]) => unknown> | null;
  if (functions === null) throw new Error('the channel functions are not available on this backend');
  return {
    lanesFor: () => 1,
    execute: (programs) => {
      for (const [index, ...args] of programs[0] ?? []) functions[GEMM_FUNCTIONS[index!]!.name]!(...args);
    },
  };
}

/**
 * The product's lanes for a pass over `floats` floats of the backend's heap where it works in that heap and would
 * split the pass over more than one lane; else `null` (tfjs's own kernel is then as good).
 */
export function threadedPassLanes(backend: unknown, floats: number): HeapLanes | null {
  const lanes = productLanesOnHeap(backend);
  return lanes !== null && lanes.lanesFor(floats) > 1 ? lanes : null;
}

/** The product's lanes where it works in the backend's heap (Gemm.lanesIn), else `null`. */
function productLanesOnHeap(backend: unknown): HeapLanes | null {
  const memory = heapMemory(backend);
  return memory === null ? null : (relaxedGemm()?.lanesIn(memory) ?? null);
}

/** Splits `total` items into at most `parts` contiguous runs, [first, count] in order (one empty run if there are none). */
export function shares(total: number, parts: number): [number, number][] {
  if (total <= 0) return [[0, 0]];
  const size = Math.ceil(total / Math.max(1, parts));
  const runs: [number, number][] = [];
  for (let first = 0; first < total; first += size) runs.push([first, Math.min(size, total - first)]);
  return runs;
}

/** A view's address in the heap, as the channel functions take it. */
export const heapAddress = (view: Float32Array): number => view.byteOffset;
