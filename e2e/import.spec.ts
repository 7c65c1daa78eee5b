import { Buffer } from 'node:buffer';
import { cifar10Archive } from '../src/engine/data/formats/cifar-fixture.test-support';
import { expect, test } from './fixtures';

const CIFAR = 'v=1&dataset=cifar10&arch=lenet5&width=0.5&epochs=2&batchSize=20&gsnEnd=1&gscEnd=1&lrsiIters=5';

test('a cut-off CIFAR-10 archive is refused with a clear message and nothing is stored', async ({ lab, page }) => {
  await lab.open({ hash: CIFAR });
  await expect(page.getByTestId('import-status')).toContainText('Not in this browser yet');
  await expect(lab.trainButton).toBeDisabled();
  await expect(lab.progress).toContainText('Import CIFAR-10 under Data');
  const archive = await cifar10Archive(20);
  await page.getByLabel('Import from a file (or drop it here)').setInputFiles({
    name: 'cifar-10-binary.tar.gz',
    mimeType: 'application/gzip',
    buffer: Buffer.from(archive.subarray(0, archive.length - 4000)),
  });
  await expect(page.getByRole('alert').filter({ hasText: 'Import failed' })).toContainText(/cifar-10-binary\.tar\.gz is (truncated|corrupt or incomplete)/);
  await expect(page.getByTestId('import-status')).toContainText('Not in this browser yet');
});

test('CIFAR-10 imported from a file is stored, trained on, and can be deleted', async ({ lab, page }) => {
  await lab.open({ hash: CIFAR, query: 'backend=wasm' });
  await page.getByLabel('Import from a file (or drop it here)').setInputFiles({
    name: 'cifar-10-binary.tar.gz',
    mimeType: 'application/gzip',
    buffer: Buffer.from(await cifar10Archive(40)),
  });
  await expect(page.getByTestId('import-status')).toContainText('CIFAR-10 is stored in this browser', { timeout: 30_000 });
  await expect(lab.trainButton).toBeEnabled();

  await lab.trainButton.click();
  await lab.waitUntilFinished(90_000);
  expect(await lab.chartPoints('accuracy', 'default')).toBe(2);
  expect(Number.isFinite(await lab.accuracy('tost'))).toBe(true);

  // Still there after a reload (IndexedDB), then deleted on request.
  await page.reload();
  await expect(page.getByTestId('import-status')).toContainText('CIFAR-10 is stored in this browser', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Delete it' }).click();
  await expect(page.getByTestId('import-status')).toContainText('Not in this browser yet');
});
