import type { BrowserAnswer, BrowserRequest } from './protocol';

/**
 * Runs one measurement in a fresh worker; past `timeoutMs` the worker is
 * terminated (a hung or thrashing backend cannot stall the whole benchmark).
 */
function measure(request: BrowserRequest, timeoutMs: number): Promise<BrowserAnswer> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<BrowserAnswer>((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, error: `over ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
    worker.onmessage = (event: MessageEvent<BrowserAnswer>) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.onerror = (event) => {
      clearTimeout(timer);
      resolve({ ok: false, error: event.message || 'worker failed' });
    };
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

(window as unknown as { measure: typeof measure }).measure = measure;
document.title = 'ready';
