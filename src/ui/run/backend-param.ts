import { BACKEND_ORDER, isBackendName, type BackendName } from '../../worker/protocol';

/** `?backend=wasm` forces a backend; anything else is reported and ignored. */
export function readForcedBackend(search: string): { forced: BackendName | null; problem: string | null } {
  const requested = new URLSearchParams(search).get('backend');
  if (requested === null || requested === '' || requested === 'auto') return { forced: null, problem: null };
  const name = requested.toLowerCase();
  if (isBackendName(name)) return { forced: name, problem: null };
  return { forced: null, problem: `Unknown backend "${requested}" in the address; use one of ${BACKEND_ORDER.join(', ')}. Choosing automatically.` };
}
