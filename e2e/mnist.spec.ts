import { expect, test } from './fixtures';

test('an MLP trains on shipped MNIST with no request leaving localhost', async ({ lab, page, baseURL }) => {
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(baseURL!) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });
  // WASM, not the fallback's software WebGL: the data path is under test here, and WASM trains an MLP twice as fast.
  await lab.open({ hash: 'v=1&dataset=mnist&hidden=128-128&trainLimit=3000&valFraction=0.05&epochs=2&batchSize=64&gsnEnd=1&gscEnd=1&lrsiIters=5', query: 'backend=wasm' });
  await expect(lab.field('Dataset')).toHaveValue('mnist');
  await expect(page.getByTestId('dataset-source')).toContainText('the official MNIST files');
  await expect(page.getByTestId('model-size')).toContainText('parameters');
  await lab.trainButton.click();
  await lab.waitForPoints('accuracy', 1, 90_000);
  await lab.waitUntilFinished(110_000);
  expect(await lab.accuracy('default')).toBeGreaterThan(0.8);
  expect(await lab.accuracy('tost')).toBeGreaterThan(0.8);
  expect(foreign).toEqual([]);
});

test('LeNet-5 trains on MNIST on the WASM backend through the lab\'s training kernels', async ({ lab }) => {
  await lab.open({ hash: 'v=1&dataset=mnist&arch=lenet5&sparsity=0.5&lrSchedule=constant&trainLimit=3000&valFraction=0&epochs=3&batchSize=64&gsnEnd=1&gscEnd=1&lrsiIters=5', query: 'backend=wasm' });
  expect(await lab.backend()).toBe('wasm');
  await lab.trainButton.click();
  await lab.waitUntilFinished(110_000);
  // At 50% sparsity (at 90% with PyTorch's default init, LeNet-5 stays at chance: the signal fades through its sparse layers).
  expect(await lab.accuracy('default')).toBeGreaterThan(0.5);
  expect(await lab.accuracy('tost')).toBeGreaterThan(0.5);
});

test('Fashion-MNIST ships with the app from the repository\'s official files and trains', async ({ lab, page }) => {
  await lab.open({ hash: 'v=1&dataset=fashion-mnist&hidden=64&trainLimit=2000&valFraction=0.05&epochs=1&batchSize=64&gsnEnd=1&gscEnd=1', query: 'backend=wasm' });
  await expect(page.getByTestId('dataset-source')).toContainText('the official Fashion-MNIST files (Zalando Research, MIT licence)');
  await lab.trainButton.click();
  await lab.waitUntilFinished(110_000);
  // Well above chance (10%) after one pass over 2,000 images.
  expect(await lab.accuracy('default')).toBeGreaterThan(0.5);
});
