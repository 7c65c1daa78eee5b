import { useLab } from '../store';

const NAMES = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' } as const;

/** Which backend trains, and why faster ones were passed over. */
export function BackendBadge() {
  const backend = useLab((state) => state.backend);
  if (backend.state === 'loading') {
    return (
      <span className="badge" data-testid="backend-badge" data-backend="">
        Backend: choosing…
      </span>
    );
  }
  if (backend.state === 'failed') {
    return (
      <span className="badge badge-error" data-testid="backend-badge" data-backend="" role="alert">
        No backend: {backend.message}
      </span>
    );
  }
  const { report } = backend;
  const skipped = report.skipped.map((s) => `${NAMES[s.backend]} skipped: ${s.reason}`);
  const threads = report.wasmThreads !== null ? ` · ${report.wasmThreads} thread${report.wasmThreads === 1 ? '' : 's'}` : '';
  return (
    <span className="badge" data-testid="backend-badge" data-backend={report.backend} data-threads={report.wasmThreads ?? ''} title={skipped.join('\n') || 'First choice'}>
      Backend: {NAMES[report.backend]}
      {threads}
      {report.forced && report.forced === report.backend && ' (forced)'}
      {skipped.length > 0 && <span className="badge-detail"> · {skipped.join(' · ')}</span>}
    </span>
  );
}
