import { Buffer } from 'node:buffer';
import { cifar10Archive } from '../src/engine/data/formats/cifar-fixture.test-support';
import { expect, test } from './fixtures';

/**
 * Every architecture family trains on WebGPU (SwiftShader here), with ToST's
 * ghost skips and ghost neurons, on a small imported CIFAR-10. Each must show
 * a positive, finite training loss and no error: a GPU that refuses a command
 * reads back zeros without an exception (tfjs's AddN past 7 inputs did, for
 * every network with more than 7 weight tensors), which the lab now reports
 * as a failed run. SwiftShader runs WebGPU on the CPU at a few images per
 * second, hence one or two steps of two images per recipe, and LRsI off (its
 * kernels are the training step's; the WASM spec runs it).
 */
const ARCHITECTURES = ['lenet5', 'resnet20', 'resnet56', 'resnet18', 'vgg16', 'mobilenetv2'] as const;

test('every architecture trains in the browser on the WebGPU backend', async ({ lab, page }) => {
  test.setTimeout(600_000);
  // Two steps where WASM's losses are compared (the second step's loss shows the first update), one elsewhere.
  const COMPARED = ['lenet5', 'resnet20'];
  const experiment = (arch: string) =>
    `v=1&dataset=cifar10&arch=${arch}&width=0.125&epochs=1&batchSize=2&trainLimit=${COMPARED.includes(arch) ? 4 : 2}&valFraction=0&gsnEnd=1&gscEnd=1&lrsi=0`;
  await lab.open({ hash: experiment(ARCHITECTURES[0]) });
  await page.getByLabel('Import from a file (or drop it here)').setInputFiles({
    name: 'cifar-10-binary.tar.gz',
    mimeType: 'application/gzip',
    buffer: Buffer.from(await cifar10Archive(20)),
  });
  await expect(page.getByTestId('import-status')).toContainText('CIFAR-10 is stored in this browser', { timeout: 30_000 });
  const webgpuLosses = new Map<string, number[]>();
  for (const arch of ARCHITECTURES) {
    await test.step(arch, async () => {
      const started = Date.now();
      await lab.open({ hash: experiment(arch) });
      expect(await lab.backend()).toBe('webgpu');
      await expect(lab.field('Architecture')).toHaveValue(arch);
      await lab.trainButton.click();
      await lab.waitUntilFinished(240_000);
      await expect(lab.alerts).toHaveCount(0);
      for (const recipe of ['default', 'tost'] as const) {
        expect(await lab.chartPoints('loss', recipe)).toBeGreaterThan(0);
        const loss = await lab.trainLoss(recipe);
        expect(loss).toBeGreaterThan(0.1);
        expect(loss).toBeLessThan(20);
        expect(Number.isFinite(await lab.accuracy(recipe))).toBe(true);
      }
      await expect(page.locator('.status-diverged')).toHaveCount(0);
      webgpuLosses.set(arch, [await lab.trainLoss('default'), await lab.trainLoss('tost')]);
      console.log(`${arch} on WebGPU: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    });
  }

  // Same seed, mask, initial weights and batches on WASM: the same numbers, to the card's three decimals (float32 sums in another order).
  for (const arch of COMPARED) {
    await test.step(`${arch} on WASM gives WebGPU's losses`, async () => {
      await lab.open({ hash: experiment(arch), query: 'backend=wasm' });
      expect(await lab.backend()).toBe('wasm');
      await lab.trainButton.click();
      await lab.waitUntilFinished(120_000);
      const [gpuDefault, gpuTost] = webgpuLosses.get(arch)!;
      expect(Math.abs((await lab.trainLoss('default')) - gpuDefault!)).toBeLessThanOrEqual(0.002);
      expect(Math.abs((await lab.trainLoss('tost')) - gpuTost!)).toBeLessThanOrEqual(0.002);
    });
  }
});
