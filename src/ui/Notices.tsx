import { useLab } from './store';

/** Problems and hints that concern the whole page (a bad link, an unknown backend name). */
export function Notices() {
  const notices = useLab((state) => state.notices);
  const dismiss = useLab((state) => state.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
