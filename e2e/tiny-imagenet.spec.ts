import { unzipSync } from 'fflate';
import { fixtureColor, tinyImageNetZip, zipMembers } from '../src/engine/data/formats/tiny-imagenet-fixture.test-support';
import { expect, test } from './fixtures';
import { DatasetImportPanel } from './pages/dataset-import-panel';

// 200 classes × 3 training images, 1 validation image each (800 real JPEGs); 120 training images in batches of 60: 2 steps.
const TINY = 'v=1&dataset=tiny-imagenet&arch=lenet5&width=0.5&epochs=1&batchSize=60&trainLimit=120&gsnEnd=1&gscEnd=1&lrsiIters=5';

test('TinyImageNet imported from a file, with progress and the chosen size, then trained on', async ({ lab, page }) => {
  const data = new DatasetImportPanel(page);
  await lab.open({ hash: TINY });
  await data.expectNotStored();
  await expect(lab.trainButton).toBeDisabled();
  // The storage-conscious default: 32×32, 250 images per class (CIFAR's size).
  await expect(data.imageSize).toHaveValue('32');
  await expect(data.trainPerClass).toHaveValue('250');
  await expect(data.footprint).toContainText('keeps 50,000 training and 10,000 test images: about 185 MB');

  const zip = tinyImageNetZip({ classes: 200, trainPerClass: 3, valPerClass: 1 });
  await data.recordProgress();
  await data.importFile('tiny-imagenet-200.zip', zip, 'application/zip');
  await data.expectStored('TinyImageNet (32×32, 250 train/class) is stored in this browser');
  await expect(data.status).toContainText('600 training and 200 test images of 32×32');
  const lines = await data.progressLines();
  // Decoded in the worker by Chromium's own JPEG decoder, with a moving bar.
  expect(lines.some((line) => line.includes("Decoding images with the browser's decoder"))).toBe(true);
  const fractions = lines.map((line) => Number(line.split(' ')[0]));
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  expect(new Set(fractions).size).toBeGreaterThan(2);
  // What the browser's decoder stored: each image its class's colour, within JPEG rounding.
  const stored = await data.storedImages('tiny-imagenet', [0, 1, 2, 203]);
  expect(stored.map((image) => image.label)).toEqual([0, 1, 2, 3]);
  for (const image of stored) {
    expect(image.pixels).toHaveLength(32 * 32 * 3);
    const color = fixtureColor(image.label);
    expect(Math.max(...image.pixels.map((value, i) => Math.abs(value - color[i % 3]!)))).toBeLessThanOrEqual(4);
  }

  await expect(lab.trainButton).toBeEnabled();
  await lab.trainButton.click();
  await lab.waitUntilFinished(90_000);
  expect(await lab.chartPoints('accuracy', 'default')).toBe(1);
  expect(Number.isFinite(await lab.accuracy('tost'))).toBe(true);

  await data.deleteButton.click();
  await data.expectNotStored();
});

test('a link asking for another TinyImageNet import than the stored one cannot train until they match; a corrupt JPEG is refused by name, keeping the stored copy', async ({ lab, page }) => {
  const data = new DatasetImportPanel(page);
  await lab.open({ hash: TINY });
  // Other settings reach the worker and are stored with the entry.
  await data.imageSize.selectOption('64');
  await data.trainPerClass.selectOption('100');
  await expect(data.footprint).toContainText('keeps 20,000 training and 10,000 test images: about 369 MB');
  const good = tinyImageNetZip({ classes: 200, trainPerClass: 1, valPerClass: 1 });
  await data.importFile('tiny-imagenet-200.zip', good, 'application/zip');
  await data.expectStored('TinyImageNet (100 train/class) is stored');
  await expect(data.status).toContainText('200 training and 200 test images of 64×64');
  await expect(lab.trainButton).toBeEnabled();
  // The settings name the import, so a shared link never trains on other data: a link asking for 32×32 is refused until it matches.
  expect(decodeURIComponent(page.url())).toContain('tinySize=64');
  await lab.open({ hash: `${TINY}&tinySize=32&tinyPerClass=100` });
  await expect(lab.trainButton).toBeDisabled();
  await expect(data.mismatch).toContainText('These settings train on TinyImageNet at 32×32, 100 training images per class, but the copy in this browser was imported at 64×64');
  await expect(page.getByTestId('progress')).toContainText('import it again with these settings');
  await data.imageSize.selectOption('64');
  await expect(data.mismatch).toHaveCount(0);
  await expect(lab.trainButton).toBeEnabled();
  const before = await data.status.textContent();

  // Framed like a JPEG (start and end markers) but garbage inside: only the decoder can tell.
  const members = unzipSync(good);
  members['tiny-imagenet-200/val/images/val_7.JPEG'] = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode('not really a picture'), 0xff, 0xd9]);
  await data.importFile('tiny-imagenet-200.zip', zipMembers(members), 'application/zip');
  await expect(data.failure).toContainText(/val_7\.JPEG is not a readable JPEG image/);
  // The earlier import is untouched.
  await expect(data.status).toHaveText(before!);
});
