import { useState, type DragEvent } from 'react';
import { DATASETS } from '../../engine/data/catalog';
import type { ImportableId } from '../../worker/protocol';
import { deleteImported, importDataset } from '../run/controller';
import { useLab } from '../store';

const HINTS: Record<ImportableId, string> = {
  cifar10: 'the official binary version, cifar-10-binary.tar.gz (or its .bin files)',
  cifar100: 'the official binary version, cifar-100-binary.tar.gz (or train.bin and test.bin)',
};

const formatSize = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(0)} kB`);

/** Bring a dataset into this browser: file picker, drag and drop, or a URL; shows progress, errors and what is stored. */
export function DatasetImport() {
  const dataset = useLab((state) => state.experiment.dataset);
  const imported = useLab((state) => state.imported);
  const importState = useLab((state) => state.importState);
  const backendReady = useLab((state) => state.backend.state === 'ready');
  const [url, setUrl] = useState('');
  const [dragging, setDragging] = useState(false);
  const entry = DATASETS.find((d) => d.id === dataset);
  if (!entry || entry.kind !== 'imported-image') return null;
  const id = entry.id as ImportableId;
  const stored = imported?.find((d) => d.id === id);
  const busy = importState.state === 'importing' || !backendReady;
  const importFiles = (files: FileList | null) => {
    if (files && files.length > 0) void importDataset(id, { files: Array.from(files) });
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    importFiles(event.dataTransfer.files);
  };

  return (
    <div className="dataset-import" data-testid="dataset-import">
      {stored ? (
        <p className="field-note" data-testid="import-status">
          {stored.name} is stored in this browser ({formatSize(stored.sizeBytes)}, {stored.savedAt.toLocaleDateString()}).{' '}
          <button type="button" className="link-button" onClick={() => void deleteImported(id)} disabled={busy}>
            Delete it
          </button>
        </p>
      ) : (
        <p className="field-note" data-testid="import-status">
          Not in this browser yet. Import {HINTS[id]}.
        </p>
      )}
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor="import-file">Import from a file (or drop it here)</label>
        <input id="import-file" type="file" multiple accept=".gz,.tgz,.tar,.bin,.txt" disabled={busy} onChange={(event) => importFiles(event.target.files)} />
      </div>
      <form
        className="import-url"
        onSubmit={(event) => {
          event.preventDefault();
          if (url.trim()) void importDataset(id, { url: url.trim() });
        }}
      >
        <label htmlFor="import-url">…or from a URL</label>
        <input id="import-url" type="url" placeholder="https://…/cifar-10-binary.tar.gz" value={url} onChange={(event) => setUrl(event.target.value)} disabled={busy} />
        <button type="submit" disabled={busy || !url.trim()}>
          Import
        </button>
      </form>
      {importState.state === 'importing' && (
        <p className="field-note" role="status">
          <progress max={1} value={importState.fraction} aria-label="Import progress" /> {importState.message}
        </p>
      )}
      {importState.state === 'failed' && (
        <p className="field-error" role="alert">
          Import failed: {importState.message}
        </p>
      )}
    </div>
  );
}
