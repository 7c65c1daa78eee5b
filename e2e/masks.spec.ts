import { expect, test } from './fixtures';
import { QUICK } from './experiments';
import { MaskPanel } from './pages/mask-panel';

test('a lottery ticket shows its rounds live, then trains with a picture of the mask', async ({ lab }) => {
  await lab.open({ hash: `${QUICK}&mask=imp&sparsity=0.6&pretrainEpochs=1&denseLayers=none` });
  const mask = new MaskPanel(lab.page);
  await lab.trainButton.click();
  await expect(mask.rounds).toBeVisible({ timeout: 60_000 });
  // 0.8, 0.64, 0.512, 0.4096 → the last round stops at 0.4.
  await expect.poll(() => mask.roundCount(), { timeout: 60_000 }).toBe(5);
  await expect(mask.rounds).toContainText('5 of 5');
  await expect(mask.rounds).toContainText('40.0%');
  await mask.waitForPictures();
  await expect(mask.densityChart).toHaveAttribute('data-layers', '3');
  await expect(mask.heatmap).toHaveAttribute('aria-label', /^fc1\.weight: 32 units × 2 inputs/);
  await mask.layerPicker.focus();
  await lab.page.keyboard.press('ArrowDown');
  await expect(mask.heatmap).toHaveAttribute('aria-label', /^fc2\.weight: 32 units × 32 inputs/);
  await lab.waitUntilFinished();
});

test('SynFlow at 99.9% warns about starved layers; the slider sets sparsity on a log scale', async ({ lab }) => {
  await lab.open({ hash: `${QUICK}&mask=synflow&synflowIters=10&denseLayers=none` });
  const slider = lab.field('Sparsity (log scale)');
  await slider.focus();
  await lab.page.keyboard.press('End');
  await expect(lab.field('Sparsity')).toHaveValue('0.999');
  await lab.page.keyboard.press('Home');
  await expect(lab.field('Sparsity')).toHaveValue('0.5');
  await lab.fill('Sparsity', '0.999');
  await expect(slider).toHaveValue('1000');

  const mask = new MaskPanel(lab.page);
  await lab.trainButton.click();
  await mask.waitForPictures();
  await expect(mask.warnings).toContainText('have no input weights left');
  await lab.stopButton.click();
});

test('Stop ends a long mask computation at once, and training again starts over', async ({ lab }) => {
  await lab.open({ hash: `${QUICK}&mask=omp&pretrainEpochs=200` });
  const mask = new MaskPanel(lab.page);
  await lab.trainButton.click();
  await expect(mask.progressBar).toBeVisible({ timeout: 60_000 });
  await expect(lab.progress).toContainText('OMP: dense training');
  await lab.stopButton.click();
  await expect(mask.progressBar).toHaveCount(0);
  await expect(lab.trainButton).toBeEnabled();
  await expect(lab.alerts).toHaveCount(0);
  await lab.trainButton.click();
  await expect(mask.progressBar).toBeVisible({ timeout: 60_000 });
  await lab.stopButton.click();
});
