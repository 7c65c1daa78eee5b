import { useState, type DragEvent } from 'react';
import { DATASETS } from '../../engine/data/catalog';
import { tinyImageNetSettings } from '../../engine/data/import-settings';
import type { ImportableId } from '../../worker/protocol';
import { deleteImported, importDataset } from '../run/controller';
import { useLab } from '../store';
import { importProblem } from './import-problem';
import { TinyImageNetFootprint } from './TinyImageNetFootprint';

const SOURCES: Record<ImportableId, { hint: string; accept: string; example: string }> = {
  cifar10: {
    hint: 'the official binary version, cifar-10-binary.tar.gz (or its .bin files)',
    accept: '.gz,.tgz,.tar,.bin,.txt',
    example: 'https://…/cifar-10-binary.tar.gz',
  },
  cifar100: {
    hint: 'the official binary version, cifar-100-binary.tar.gz (or train.bin and test.bin)',
    accept: '.gz,.tgz,.tar,.bin,.txt',
    example: 'https://…/cifar-100-binary.tar.gz',
  },
  'tiny-imagenet': {
    hint: 'the official tiny-imagenet-200.zip (248 MB; read into memory while importing)',
    accept: '.zip',
    example: 'https://…/tiny-imagenet-200.zip',
  },
};

const formatSize = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(0)} kB`);

/** Bring a dataset into this browser: file picker, drag and drop, or a URL; shows progress, errors and what is stored. */
export function DatasetImport() {
  const experiment = useLab((state) => state.experiment);
  const dataset = experiment.dataset;
  const imported = useLab((state) => state.imported);
  const importState = useLab((state) => state.importState);
  const backendReady = useLab((state) => state.backend.state === 'ready');
  const [url, setUrl] = useState('');
  const [dragging, setDragging] = useState(false);
  const entry = DATASETS.find((d) => d.id === dataset);
  if (!entry || entry.kind !== 'imported-image') return null;
  const id = entry.id as ImportableId;
  const source = SOURCES[id];
  // TinyImageNet is imported as the experiment's Image size and Training images per class say.
  const choices = id === 'tiny-imagenet' ? tinyImageNetSettings(experiment) : {};
  const stored = imported?.find((d) => d.id === id);
  const mismatch = stored ? importProblem(experiment, imported) : null;
  const busy = importState.state === 'importing' || !backendReady;
  const importFiles = (files: FileList | null) => {
    if (files && files.length > 0) void importDataset(id, { files: Array.from(files) }, choices);
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
          {stored.name} is stored in this browser ({formatSize(stored.sizeBytes)}, {stored.trainCount.toLocaleString('en-US')} training and{' '}
          {stored.testCount.toLocaleString('en-US')} test images of {stored.inputShape[0]}×{stored.inputShape[1]}, {stored.savedAt.toLocaleDateString()}).{' '}
          <button type="button" className="link-button" onClick={() => void deleteImported(id)} disabled={busy}>
            Delete it
          </button>
        </p>
      ) : (
        <p className="field-note" data-testid="import-status">
          Not in this browser yet. Import {source.hint}.
        </p>
      )}
      {mismatch && (
        <p className="field-error" data-testid="import-mismatch">
          {mismatch}
        </p>
      )}
      {id === 'tiny-imagenet' && <TinyImageNetFootprint settings={choices} />}
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
        <input id="import-file" type="file" multiple={id !== 'tiny-imagenet'} accept={source.accept} disabled={busy} onChange={(event) => importFiles(event.target.files)} />
      </div>
      <form
        className="import-url"
        onSubmit={(event) => {
          event.preventDefault();
          if (url.trim()) void importDataset(id, { url: url.trim() }, choices);
        }}
      >
        <label htmlFor="import-url">…or from a URL</label>
        <input id="import-url" type="url" placeholder={source.example} value={url} onChange={(event) => setUrl(event.target.value)} disabled={busy} />
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
