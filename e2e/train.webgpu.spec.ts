import { expect, test } from './fixtures';
import { QUICK } from './experiments';

test('trains on WebGPU when an adapter exists', async ({ lab }) => {
  await lab.open({ hash: QUICK });
  expect(await lab.backend()).toBe('webgpu');
  await expect(lab.backendBadge).toHaveText(/^Backend: WebGPU$/);

  await lab.trainButton.click();
  await lab.waitForPoints('accuracy', 2, 90_000);
  const tensorsEarly = await lab.tensorCount();
  await lab.waitUntilFinished(110_000);
  const chance = await lab.chance();
  expect(await lab.accuracy('default')).toBeGreaterThan(chance + 0.2);
  expect(await lab.accuracy('tost')).toBeGreaterThan(chance + 0.2);
  expect(await lab.tensorCount()).toBe(tensorsEarly);
});
