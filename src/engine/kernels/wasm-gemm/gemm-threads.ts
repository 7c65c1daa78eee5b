import { GEMM_FUNCTIONS, gemmModuleBytes, type MultiplyAdd } from './gemm-module';
import { gemmOver, relaxedGemmPolicy, type Call, type Gemm, type GemmFunctions, type Lanes } from './relaxed-gemm';
import { isSharedMemory, type SharedHeap } from './shared-heap';

/**
 * The relaxed-SIMD product on several threads. tfjs calls kernels
 * synchronously, so the threads cannot be handed work by messages: each
 * helper runs an instance of the module over one shared memory and sleeps in
 * Atomics.wait on a control block; the calling thread writes each helper's
 * list of calls into the memory, wakes them, does its own share and waits
 * until they are done. Blocking waits are allowed in workers and in Node,
 * not on a page's main thread, where training never runs.
 */

/** What a helper is sent to start. */
export interface HelperSetup {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  /** Each helper's calls, written by the calling thread: a function index, then its arguments. */
  readonly calls: SharedArrayBuffer;
  /** 1 for the first helper; the calling thread is lane 0. */
  readonly lane: number;
  readonly functionNames: readonly string[];
  readonly argumentCounts: readonly number[];
  /** Checks for work a helper makes after its last product before it sleeps in Atomics.wait. */
  readonly spins: number;
}

/**
 * Starts a thread that runs `helperFunction` (the source of a function
 * expression) on `setup`, as node-gemm-helpers.ts and worker/gemm-helpers.ts
 * do for Node and the browser; returns how to end it.
 */
export type StartHelper = (helperFunction: string, setup: HelperSetup) => { terminate(): void };

export interface GemmThreads {
  /** The product, split over this thread and the helpers once they are up (on this thread alone until then). */
  readonly gemm: Gemm;
  readonly helpers: number;
  /** Threads a large product runs on now: 1 + helpers once they are up, 1 before and after stop(). */
  lanes(): number;
  /** Resolves when every helper is up; rejects if one could not start. */
  ready(): Promise<void>;
  /** Ends the helpers; `gemm` goes on working on this thread alone. */
  stop(): void;
}

// The control block, in Int32 slots. Helper slots follow, two per helper:
// where its calls start in the memory (in Int32s) and how many Int32s they take.
const GENERATION = 0;
const PENDING = 1;
const FAILED = 2;
const READY = 3;
const STOP = 4;
const HELPER_SLOTS = 5;
/** Checks of the control block before the calling thread sleeps in Atomics.wait for its helpers: some microseconds. */
const SPINS = 10000;
/**
 * How many times a helper checks for the next product before it sleeps, by
 * default (10,000 checks last ~0.1 ms here). Waking from Atomics.wait takes
 * tens to hundreds of microseconds, and a training step leaves gaps of that
 * order between products (LeNet-5's dense layers, with a bias and an
 * activation between them). Where nothing else needs the helpers' cores
 * (Node, where tfjs runs on one thread), longer pays: in a LeNet-5 step in
 * Node its products took ~20% less time with half a millisecond or more. In
 * Chromium, where tfjs's own threads still took the cores then, half a
 * millisecond made the MLP step ~40% slower.
 */
export const HELPER_SPINS = 10_000;
/** Room for the helpers' calls: about 50,000, far more than any product sends. */
const CALLS_BYTES = 4 << 20;
/** How long the calling thread waits for the helpers before it gives up on them (a helper would have to hang). */
const PATIENCE_MS = 60_000;
/** 4 GiB, wasm32's whole address space: a shared memory needs a maximum, and the largest products need hundreds of megabytes. */
const MAXIMUM_PAGES = 65536;

/**
 * A helper's whole life. It is sent to its thread as source text, so it uses
 * nothing from outside itself: the control slots are written out as numbers
 * (GENERATION 0, PENDING 1, FAILED 2, READY 3, STOP 4, helper slots from 5).
 */
function helperMain(setup: HelperSetup): void {
  const control = new Int32Array(setup.control);
  let functions: ((...args: number[]) => void)[];
  try {
    const instance = new WebAssembly.Instance(setup.module, { env: { memory: setup.memory } });
    functions = setup.functionNames.map((name) => instance.exports[name] as (...args: number[]) => void);
  } catch {
    Atomics.store(control, 2, 2);
    Atomics.notify(control, 3);
    return;
  }
  const slot = 5 + 2 * (setup.lane - 1);
  const ints = new Int32Array(setup.calls);
  let seen = Atomics.load(control, 0);
  Atomics.add(control, 3, 1);
  Atomics.notify(control, 3);
  for (;;) {
    // A product often follows another within a fraction of a millisecond, and
    // waking from Atomics.wait takes tens of microseconds or more: spin first.
    for (let spin = 0; spin < setup.spins && Atomics.load(control, 0) === seen; spin++);
    // Atomics.wait can return "ok" with no new generation (seen in Node under
    // load: the helper then ran its last calls again, and the count of helpers
    // still working went below zero, so the caller waited for ever): wait until
    // the generation really moves.
    while (Atomics.load(control, 0) === seen) Atomics.wait(control, 0, seen);
    seen = Atomics.load(control, 0);
    if (Atomics.load(control, 4) !== 0) return;
    try {
      let at = control[slot]!;
      const end = at + control[slot + 1]!;
      while (at < end) {
        const index = ints[at]!;
        const count = setup.argumentCounts[index];
        if (count === undefined) throw new Error(`no function ${index}`);
        functions[index]!(...ints.subarray(at + 1, at + 1 + count));
        at += 1 + count;
      }
    } catch {
      Atomics.store(control, 2, 1);
    }
    if (Atomics.sub(control, 1, 1) === 1) Atomics.notify(control, 1);
  }
}

/** Whether this thread may block in Atomics.wait: not on a page's main thread. */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** How the product's threads start. */
export interface GemmThreadsOptions {
  readonly multiplyAdd?: MultiplyAdd;
  /** Checks a helper makes for the next product before it sleeps (HELPER_SPINS by default). */
  readonly spins?: number;
  /**
   * tfjs's WASM heap, where it is shared: the product then works there, reading and writing tensors in place
   * (shared-heap.ts). Without it the product has a shared memory of its own and copies operands in and out.
   */
  readonly heap?: SharedHeap | null;
}

/**
 * The product on this thread and `helpers` more, started with `startHelper`;
 * `null` where that cannot work: no relaxed SIMD, no shared memory (a page
 * without cross-origin isolation, or no room to reserve it) or no blocking
 * wait on this thread.
 */
export function startGemmThreads(helpers: number, startHelper: StartHelper, options: GemmThreadsOptions = {}): GemmThreads | null {
  const { multiplyAdd = 'relaxed-madd', spins = HELPER_SPINS, heap = null } = options;
  if (helpers < 1 || typeof SharedArrayBuffer === 'undefined' || !canBlock()) return null;
  if (heap !== null && !isSharedMemory(heap.memory)) return null;
  const bytes = gemmModuleBytes(multiplyAdd, { kind: 'shared', pages: 1, maximumPages: MAXIMUM_PAGES });
  if (!WebAssembly.validate(bytes)) return null;
  const module = new WebAssembly.Module(bytes);
  let memory: WebAssembly.Memory;
  try {
    memory = heap?.memory ?? new WebAssembly.Memory({ initial: 1, maximum: MAXIMUM_PAGES, shared: true });
  } catch {
    // A shared memory reserves its maximum up front: a 32-bit browser may refuse 4 GiB.
    return null;
  }
  const callsBuffer = new SharedArrayBuffer(CALLS_BYTES);
  const ints = new Int32Array(callsBuffer);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const controlBuffer = new SharedArrayBuffer(4 * (HELPER_SLOTS + 2 * helpers));
  const control = new Int32Array(controlBuffer);

  const threads: { terminate(): void }[] = [];
  for (let lane = 1; lane <= helpers; lane++) {
    threads.push(
      startHelper(helperMain.toString(), {
        module,
        memory,
        control: controlBuffer,
        calls: callsBuffer,
        lane,
        functionNames: GEMM_FUNCTIONS.map((f) => f.name),
        argumentCounts: GEMM_FUNCTIONS.map((f) => f.argumentCount),
        spins,
      }),
    );
  }

  let stopped = false;
  const lanes: Lanes = {
    lanesFor: (work) => (!stopped && work >= relaxedGemmPolicy.minThreadedWork && Atomics.load(control, READY) === helpers ? helpers + 1 : 1),
    start(programs: readonly (readonly Call[])[]) {
      if (programs.length > helpers) throw new Error(`product threads: ${programs.length} programs for ${helpers} helpers`);
      let at = 0;
      for (let helper = 0; helper < helpers; helper++) {
        const begin = at;
        for (const call of programs[helper] ?? []) {
          if ((at + call.length) * 4 > CALLS_BYTES) throw new Error('product threads: too many calls for the space kept for them');
          ints.set(call, at);
          at += call.length;
        }
        control[HELPER_SLOTS + 2 * helper] = begin;
        control[HELPER_SLOTS + 2 * helper + 1] = at - begin;
      }
      Atomics.store(control, PENDING, helpers);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
    },
    finish() {
      // The helpers usually finish about when this thread does: spin before sleeping.
      for (let spin = 0; spin < SPINS && Atomics.load(control, PENDING) !== 0; spin++);
      const deadline = Date.now() + PATIENCE_MS;
      for (let pending = Atomics.load(control, PENDING); pending !== 0; pending = Atomics.load(control, PENDING)) {
        if (Date.now() > deadline) {
          stopped = true;
          throw new Error('the product helper threads stopped answering; products run on this thread from now on');
        }
        Atomics.wait(control, PENDING, pending, 1000);
      }
      if (Atomics.exchange(control, FAILED, 0) !== 0) throw new Error('a product helper thread failed');
    },
  };

  return {
    gemm: gemmOver(instance.exports as unknown as GemmFunctions, memory, lanes, heap),
    helpers,
    lanes: () => lanes.lanesFor(Infinity),
    ready: async () => {
      while (Atomics.load(control, READY) < helpers) {
        if (Atomics.load(control, FAILED) === 2) throw new Error('a product helper thread could not start');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      Atomics.store(control, STOP, 1);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      for (const thread of threads) thread.terminate();
    },
  };
}
