import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/**
 * Makes the WASM backend start in Node from tfjs's threaded build, as it does
 * in a cross-origin isolated browser, so that its heap is shared memory: the
 * lab's product and its helper threads then read and write tensors in place
 * (node-gemm-helpers.ts). Imported for its effect, before the backend starts,
 * by the command line, the benchmark and the tests.
 *
 * tfjs keeps Node to its single-threaded build (its multithread flag is false
 * in Node, tensorflow/tfjs#3830): the threaded build's Emscripten start-up
 * spawns its pthread pool from blob URLs, which Node's workers cannot load.
 * tfjs runs one thread here anyway (XNNPACK's pool never starts a pthread), so
 * the pool only has to answer the start-up: while the backend starts, Node's
 * Worker class is swapped for one that reports "loaded" and runs nothing.
 */

/** A pthread worker that is never given a thread to run: it tells Emscripten it loaded, and nothing more. */
class IdlePthreadWorker {
  private readonly handlers = new Map<string, (data: unknown) => void>();
  on(event: string, handler: (data: unknown) => void): this {
    this.handlers.set(event, handler);
    return this;
  }
  postMessage(message: { cmd?: string }): void {
    if (message.cmd === 'load') setTimeout(() => this.handlers.get('message')?.({ cmd: 'loaded' }));
    else if (message.cmd === 'run') throw new Error('the WASM backend started a pthread, which this Node set-up cannot run (tfjs threads must stay 1)');
  }
  unref(): void {}
  ref(): void {}
  terminate(): void {}
}

const requireBuiltin = createRequire(import.meta.url);

/** Runs `start` with the threaded build chosen and Node's Worker swapped for IdlePthreadWorker, then puts both back. */
async function withIdlePthreads<T>(start: () => Promise<T>): Promise<T> {
  const workerThreads = requireBuiltin('node:worker_threads') as { Worker: unknown };
  const realWorker = workerThreads.Worker;
  const global = globalThis as { Worker?: unknown };
  const hadGlobalWorker = 'Worker' in global;
  const globalWorker = global.Worker;
  workerThreads.Worker = IdlePthreadWorker;
  try {
    return await start();
  } finally {
    workerThreads.Worker = realWorker;
    // Emscripten set global.Worker to the class it found.
    if (hadGlobalWorker) global.Worker = globalWorker;
    else delete global.Worker;
  }
}

const registry = (tf.engine() as unknown as { registryFactory: Record<string, { factory: () => Promise<tf.KernelBackend>; priority: number }> }).registryFactory;
const stock = registry['wasm'];
if (stock !== undefined && typeof SharedArrayBuffer !== 'undefined') {
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    () =>
      withIdlePthreads(async () => {
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
        setThreadsCount(1);
        return stock.factory();
      }),
    stock.priority,
  );
}
