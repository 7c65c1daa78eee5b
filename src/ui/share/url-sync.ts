import { describeIssue } from '../../engine/experiment/validation';
import { decodeExperiment, encodeExperiment } from '../../engine/experiment/url-codec';
import { useLab } from '../store';

/** Applies a share link's hash to the store, reporting every rejected value by field name. */
export function applyHash(hash: string): void {
  const lab = useLab.getState();
  const decoded = decodeExperiment(hash);
  lab.replaceExperiment(decoded.experiment);
  if (decoded.versionProblem) lab.addNotice('warning', decoded.versionProblem);
  if (decoded.issues.length > 0) {
    lab.addNotice('error', `Some settings in this link were invalid and were reset: ${decoded.issues.map(describeIssue).join('; ')}.`);
  }
  if (decoded.unknownKeys.length > 0) {
    lab.addNotice('info', `Ignored settings this lab does not know: ${decoded.unknownKeys.join(', ')}.`);
  }
}

/** Reads the link the page was opened with, then keeps the address bar's hash in step with the settings. */
export function startUrlSync(): () => void {
  if (window.location.hash.length > 1) applyHash(window.location.hash);
  let written = '';
  const write = () => {
    written = `#${encodeExperiment(useLab.getState().experiment)}`;
    if (window.location.hash !== written) window.history.replaceState(null, '', written);
  };
  write();
  const unsubscribe = useLab.subscribe((state, previous) => {
    if (state.experiment !== previous.experiment) write();
  });
  // A link pasted into the address bar of an open lab.
  const onHashChange = () => {
    if (window.location.hash !== written) {
      applyHash(window.location.hash);
      write();
    }
  };
  window.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    window.removeEventListener('hashchange', onHashChange);
  };
}

/** The share link of the current settings. */
export function shareLink(): string {
  const url = new URL(window.location.href);
  url.hash = encodeExperiment(useLab.getState().experiment);
  return url.toString();
}
