import * as Comlink from 'comlink';
import type { TrainerApi } from '../../worker/protocol';

/** Starts the training worker (a module worker, so tfjs stays out of the page's bundle). */
export function connectTrainer(onCrash: (message: string) => void): Comlink.Remote<TrainerApi> {
  const worker = new Worker(new URL('../../worker/trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
  worker.addEventListener('error', (event) => onCrash(event.message || 'the training worker failed to start'));
  worker.addEventListener('messageerror', () => onCrash('a message from the training worker could not be read'));
  return Comlink.wrap<TrainerApi>(worker);
}
