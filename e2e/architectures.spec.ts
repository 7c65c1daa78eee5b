import { Buffer } from 'node:buffer';
import { cifar10Archive } from '../src/engine/data/formats/cifar-fixture.test-support';
import { expect, test } from './fixtures';

/**
 * Every convolutional family beyond LeNet-5 (covered in mnist.spec.ts): the
 * CIFAR ResNet with basic and with bottleneck blocks, ResNet-18, VGG16-BN and
 * MobileNetV2 (depthwise convolutions), each with ToST's ghost skips, through
 * the lab's WASM kernels in the browser's worker, on a small imported CIFAR-10.
 */
const ARCHITECTURES = ['resnet20', 'resnet56', 'resnet18', 'vgg16', 'mobilenetv2'] as const;

test('every architecture trains in the browser on the WASM backend', async ({ lab, page }) => {
  test.setTimeout(600_000);
  const experiment = (arch: string) => `v=1&dataset=cifar10&arch=${arch}&width=0.125&epochs=1&batchSize=20&trainLimit=40&gsnEnd=1&gscEnd=1&lrsiIters=2`;
  await lab.open({ hash: experiment(ARCHITECTURES[0]), query: 'backend=wasm' });
  await page.getByLabel('Import from a file (or drop it here)').setInputFiles({
    name: 'cifar-10-binary.tar.gz',
    mimeType: 'application/gzip',
    buffer: Buffer.from(await cifar10Archive(20)),
  });
  await expect(page.getByTestId('import-status')).toContainText('CIFAR-10 is stored in this browser', { timeout: 30_000 });
  for (const arch of ARCHITECTURES) {
    await test.step(arch, async () => {
      await lab.open({ hash: experiment(arch), query: 'backend=wasm' });
      expect(await lab.backend()).toBe('wasm');
      await expect(lab.field('Architecture')).toHaveValue(arch);
      await lab.trainButton.click();
      await lab.waitUntilFinished(150_000);
      for (const recipe of ['default', 'tost'] as const) {
        expect(await lab.chartPoints('loss', recipe)).toBeGreaterThan(0);
        expect(await lab.chartPoints('accuracy', recipe)).toBe(1);
        expect(Number.isFinite(await lab.accuracy(recipe))).toBe(true);
      }
      await expect(page.locator('.status-diverged')).toHaveCount(0);
    });
  }
});
