import { useState } from 'react';
import { shareLink } from './url-sync';

/** Copies the link of the current settings; shows it for manual copying when the clipboard is unavailable. */
export function ShareButton() {
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'copied' } | { kind: 'manual'; link: string }>({ kind: 'idle' });
  const copy = async () => {
    const link = shareLink();
    try {
      await navigator.clipboard.writeText(link);
      setState({ kind: 'copied' });
      window.setTimeout(() => setState({ kind: 'idle' }), 2500);
    } catch {
      setState({ kind: 'manual', link });
    }
  };
  return (
    <div className="share">
      <button type="button" onClick={() => void copy()}>
        {state.kind === 'copied' ? 'Link copied' : 'Copy link'}
      </button>
      {state.kind === 'manual' && (
        <label className="share-manual">
          Copy this link:
          <input readOnly value={state.link} onFocus={(event) => event.target.select()} autoFocus />
        </label>
      )}
    </div>
  );
}
