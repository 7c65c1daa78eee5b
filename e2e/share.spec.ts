import { expect, test } from './fixtures';
import { QUICK } from './experiments';

test('Copy link captures every changed setting and a new page restores them', async ({ lab, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await lab.open();
  await lab.field('Dataset').selectOption('circles');
  await lab.fill('Hidden widths', '48-24');
  await lab.fill('Sparsity', '0.95');
  await lab.field('Dense layers').selectOption('classifier');
  await lab.field('Label smoothing').uncheck();
  await lab.field('Soft activation').selectOption('mish');
  await lab.fill('Seed', '42');
  await lab.copyLinkButton.click();
  await expect(lab.copyLinkButton).toHaveText('Link copied');

  const link = await lab.page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('#v=1&');
  expect(link).toContain('dataset=circles');
  expect(link).toContain('hidden=48-24');
  // Defaults are left out of the link.
  expect(link).not.toContain('epochs=');

  const other = await context.newPage();
  await other.goto(link);
  const { LabPage } = await import('./pages/lab-page');
  const restored = new LabPage(other);
  await expect(restored.field('Dataset')).toHaveValue('circles');
  await expect(restored.field('Hidden widths')).toHaveValue('48-24');
  await expect(restored.field('Sparsity')).toHaveValue('0.95');
  await expect(restored.field('Dense layers')).toHaveValue('classifier');
  await expect(restored.field('Label smoothing')).not.toBeChecked();
  await expect(restored.field('Soft activation')).toHaveValue('mish');
  await expect(restored.field('Seed')).toHaveValue('42');
  await expect(restored.alerts).toHaveCount(0);
});

test('a garbled link names the bad fields, applies the rest and still trains', async ({ lab }) => {
  await lab.open({ hash: `${QUICK}&sparsity=banana&lsAlpha=9&%E0%A4%A=1&whatever=3&hidden=32-x` });
  const alert = lab.page.getByRole('alert').filter({ hasText: 'invalid' });
  await expect(alert).toContainText('Sparsity');
  await expect(alert).toContainText('Smoothing α');
  await expect(alert).toContainText('Hidden widths');
  await expect(lab.page.getByText('Ignored settings this lab does not know')).toContainText('whatever');
  // Valid fields of the link still apply; invalid ones fall back to defaults.
  await expect(lab.field('Dataset')).toHaveValue('moons');
  await expect(lab.field('Sparsity')).toHaveValue('0.9');

  await lab.trainButton.click();
  await lab.waitForPoints('accuracy', 1);
});

test('a bad value typed into a field is refused with a message, keeping the last valid value', async ({ lab }) => {
  await lab.open();
  await lab.fill('Sparsity', '1.5');
  await expect(lab.page.getByRole('alert').filter({ hasText: 'Sparsity' })).toBeVisible();
  expect(lab.page.url()).not.toContain('sparsity=');
  await lab.fill('Sparsity', '0.8');
  await expect(lab.page.getByRole('alert').filter({ hasText: 'Sparsity' })).toHaveCount(0);
  expect(lab.page.url()).toContain('sparsity=0.8');
});
