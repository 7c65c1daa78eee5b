import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

/** A string every tfjs-core build carries (a kernel name), so its presence means tfjs was bundled. */
const TFJS_MARKER = 'Conv2DBackpropInput';
const assets = join(process.cwd(), 'dist', 'assets');

test('the page bundle carries no tfjs; the worker bundle does', () => {
  const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
  const worker = scripts.filter((name) => name.startsWith('trainer.worker'));
  const page = scripts.filter((name) => !name.startsWith('trainer.worker'));
  expect(worker).toHaveLength(1);
  expect(page.length).toBeGreaterThan(0);
  expect(readFileSync(join(assets, worker[0]!), 'utf8')).toContain(TFJS_MARKER);
  for (const name of page) expect(readFileSync(join(assets, name), 'utf8'), name).not.toContain(TFJS_MARKER);
});
