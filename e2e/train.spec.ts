import { expect, test } from './fixtures';
import { LONG, QUICK } from './experiments';

test('trains both recipes side by side to well above chance, with a flat tensor count', async ({ lab }) => {
  await lab.open({ hash: QUICK });
  // Without --enable-unsafe-webgpu there is no adapter: the lab falls back and says why.
  expect(await lab.backend()).not.toBe('webgpu');
  await expect(lab.backendBadge).toContainText('WebGPU skipped');

  await lab.trainButton.click();
  await lab.waitForPoints('loss', 5);
  await lab.waitForPoints('accuracy', 2);
  const tensorsEarly = await lab.tensorCount();
  await lab.waitUntilFinished();

  expect(await lab.chartPoints('accuracy', 'default')).toBe(6);
  expect(await lab.chartPoints('accuracy', 'tost')).toBe(6);
  const chance = await lab.chance();
  expect(chance).toBeGreaterThan(0.3);
  expect(await lab.accuracy('default')).toBeGreaterThan(chance + 0.2);
  expect(await lab.accuracy('tost')).toBeGreaterThan(chance + 0.2);
  expect(await lab.tensorCount()).toBe(tensorsEarly);
  await expect(lab.page.getByTestId('recipe-default')).toContainText('Finished');
  await expect(lab.page.getByTestId('mask-summary')).toContainText('parameters kept');
  // LRsI is on by default: the ToST card shows one learned scale per tensor of the 2-32-32-2 MLP (3 weights, 3 biases).
  await expect(lab.page.getByTestId('lrsi-scales-tost')).toContainText('LRsI scale per layer');
  expect(await lab.lrsiScaleBars('tost')).toBe(6);
  expect(await lab.lrsiScaleBars('default')).toBe(0);
});

test('Pause stops new points, Resume continues, Stop ends and Reset clears', async ({ lab }) => {
  await lab.open({ hash: LONG });
  await lab.trainButton.click();
  await lab.waitForPoints('loss', 3);

  await lab.pauseButton.click();
  await expect(lab.progress).toContainText('Paused');
  const pausedAt = await lab.chartPoints('loss', 'default');
  await lab.page.waitForTimeout(1500);
  expect(await lab.chartPoints('loss', 'default')).toBe(pausedAt);
  await expect(lab.page.getByTestId('recipe-tost')).toContainText('Paused');

  await lab.resumeButton.click();
  await expect.poll(() => lab.chartPoints('loss', 'default')).toBeGreaterThan(pausedAt);

  await lab.stopButton.click();
  await expect(lab.progress).toContainText('Stopped');
  const stoppedAt = await lab.chartPoints('loss', 'default');
  await lab.page.waitForTimeout(1000);
  expect(await lab.chartPoints('loss', 'default')).toBe(stoppedAt);
  await expect(lab.stopButton).toBeDisabled();

  await lab.resetButton.click();
  await expect(lab.progress).toContainText('Ready');
  expect(await lab.chartPoints('loss', 'default')).toBe(0);
  expect(await lab.chartPoints('loss', 'tost')).toBe(0);
});

test('a forced backend is used and named', async ({ lab }) => {
  await lab.open({ hash: QUICK, query: 'backend=wasm' });
  expect(await lab.backend()).toBe('wasm');
  await expect(lab.backendBadge).toContainText('WASM');
  await expect(lab.backendBadge).toContainText('forced');
  await lab.trainButton.click();
  await lab.waitUntilFinished();
  expect(await lab.accuracy('default')).toBeGreaterThan((await lab.chance()) + 0.2);
});

test('the WASM backend runs on every core (up to 8) and the badge says how many threads', async ({ lab }) => {
  await lab.open({ query: 'backend=wasm' });
  expect(await lab.backend()).toBe('wasm');
  // Threads need SharedArrayBuffer, which needs the COOP/COEP headers the server sends.
  expect(await lab.page.evaluate(() => crossOriginIsolated)).toBe(true);
  const cores = await lab.page.evaluate(() => navigator.hardwareConcurrency);
  const threads = Math.max(1, Math.min(8, cores));
  expect(await lab.wasmThreads()).toBe(threads);
  await expect(lab.backendBadge).toContainText(`WASM · ${threads} thread${threads === 1 ? '' : 's'}`);
});

test('an unknown forced backend is reported and the lab chooses automatically', async ({ lab }) => {
  await lab.open({ query: 'backend=quantum' });
  await expect(lab.page.getByText('Unknown backend "quantum"')).toBeVisible();
  expect(['webgl', 'wasm', 'cpu']).toContain(await lab.backend());
});
