import { expect, type Locator, type Page } from '@playwright/test';

/** The Data panel's import part: what is stored, the import form, its progress and its errors. */
export class DatasetImportPanel {
  readonly status: Locator;
  readonly fileInput: Locator;
  readonly imageSize: Locator;
  readonly trainPerClass: Locator;
  readonly footprint: Locator;
  /** Says the stored copy was imported at other settings than the experiment's. */
  readonly mismatch: Locator;
  readonly failure: Locator;
  readonly deleteButton: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByTestId('import-status');
    this.fileInput = page.getByLabel('Import from a file (or drop it here)');
    this.imageSize = page.getByLabel('Image size');
    this.trainPerClass = page.getByLabel('Training images per class');
    this.footprint = page.getByTestId('import-footprint');
    this.mismatch = page.getByTestId('import-mismatch');
    this.failure = page.getByRole('alert').filter({ hasText: 'Import failed' });
    this.deleteButton = page.getByRole('button', { name: 'Delete it' });
  }

  /**
   * Starts recording every progress line the import shows (a small import can
   * finish between two polls of an assertion, so the page records them itself).
   */
  async recordProgress(): Promise<void> {
    await this.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { importProgress: string[] }).importProgress = seen;
      const note = () => {
        const bar = document.querySelector('progress[aria-label="Import progress"]');
        const text = bar?.parentElement?.textContent?.trim();
        if (bar && text && seen.at(-1) !== `${bar.getAttribute('value')} ${text}`) seen.push(`${bar.getAttribute('value')} ${text}`);
      };
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }

  /** The progress lines recorded since `recordProgress`, each "fraction message". */
  async progressLines(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { importProgress: string[] }).importProgress);
  }

  /** Training images and labels as stored in this browser's IndexedDB (the lab's cache), read by the page. */
  async storedImages(id: string, indices: number[]): Promise<{ label: number; pixels: number[] }[]> {
    return this.page.evaluate(
      ({ id, indices }) =>
        new Promise<{ label: number; pixels: number[] }[]>((resolve, reject) => {
          const open = indexedDB.open('tost-lab-datasets');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction(['meta', 'arrays'], 'readonly');
            const meta = tx.objectStore('meta').get(id);
            const arrays = tx.objectStore('arrays').get(id);
            tx.oncomplete = () => {
              const { height, width, channels } = meta.result as { height: number; width: number; channels: number };
              const { trainImages, trainLabels } = arrays.result as { trainImages: Uint8Array; trainLabels: Int32Array };
              const size = height * width * channels;
              db.close();
              resolve(indices.map((i) => ({ label: trainLabels[i]!, pixels: Array.from(trainImages.subarray(i * size, (i + 1) * size)) })));
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      { id, indices },
    );
  }

  async importFile(name: string, bytes: Uint8Array, mimeType = 'application/octet-stream'): Promise<void> {
    await this.fileInput.setInputFiles({ name, mimeType, buffer: Buffer.from(bytes) });
  }

  async expectStored(text: string | RegExp, timeout = 60_000): Promise<void> {
    await expect(this.status).toContainText(text, { timeout });
  }

  async expectNotStored(): Promise<void> {
    await expect(this.status).toContainText('Not in this browser yet');
  }
}
