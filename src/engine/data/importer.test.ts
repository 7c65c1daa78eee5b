import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerTrainingKernels } from '../kernels/registry';
import { defaultExperiment, type Experiment } from '../experiment/schema';
import { PairedSession } from '../train/session';
import { drivePairedSession } from '../train/driver';
import type { SessionEvent } from '../train/events';
import { RunControl } from '../train/run-control';
import { listDatasets } from './cache';
import type { FetchFunction } from './fetch-progress';
import { cifar10Archive } from './formats/cifar-fixture.test-support';
import { importDataset } from './importer';
import { forgetImported } from './registry';

const noNetwork: FetchFunction = async () => new Response('no', { status: 404 });
const asFile = (bytes: Uint8Array, name: string) => new File([new Uint8Array(bytes)], name);

// WASM with the lab's training kernels, as the lab trains: the CPU backend takes seconds per conv step.
beforeAll(async () => {
  registerTrainingKernels();
  await tf.setBackend('wasm');
});

describe('importing CIFAR-10 and training on it', () => {
  it('a cut-off archive gives a clear message and caches nothing', async () => {
    const cache = { dbName: 'import-bad' };
    const archive = await cifar10Archive(20);
    await expect(importDataset('cifar10', { files: [asFile(archive.subarray(0, archive.length - 5000), 'cifar-10-binary.tar.gz')] }, { fetch: noNetwork, cache })).rejects.toThrow(
      /cifar-10-binary\.tar\.gz is (truncated|corrupt or incomplete)/,
    );
    expect(await listDatasets(cache)).toEqual([]);
  });

  it('an unreachable URL is named, and nothing is cached', async () => {
    const cache = { dbName: 'import-url' };
    await expect(importDataset('cifar10', { url: 'http://localhost:9/cifar-10-binary.tar.gz' }, { fetch: noNetwork, cache })).rejects.toThrow(/404/);
    await expect(importDataset('cifar10', { url: 'not a url' }, { fetch: noNetwork, cache })).rejects.toThrow(/not a web address/);
    expect(await listDatasets(cache)).toEqual([]);
  });

  it('imports from a file with progress, then a paired session trains on it with crops and flips', async () => {
    const cache = { dbName: 'import-good' };
    const fractions: number[] = [];
    const info = await importDataset('cifar10', { files: [asFile(await cifar10Archive(40), 'cifar-10-binary.tar.gz')] }, {
      fetch: noNetwork,
      cache,
      onProgress: (fraction) => fractions.push(fraction),
    });
    expect(info).toMatchObject({ id: 'cifar10', name: 'CIFAR-10' });
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);

    forgetImported('cifar10');
    const experiment: Experiment = { ...defaultExperiment, dataset: 'cifar10', arch: 'lenet5', width: 0.5, batchSize: 20, epochs: 2, gsnEnd: 1, gscEnd: 1, lrsi: false };
    const session = await PairedSession.create(experiment, { fetch: noNetwork, baseUrl: '/', cache });
    // 200 training images: 10% (20) validate, 180 train; 40 test images.
    expect(session.info.trainCount).toBe(180);
    expect(session.dataset.validation!.count).toBe(20);
    expect(session.info.testCount).toBe(40);
    expect(session.dataset.pixels!.augment).toEqual({ padding: 4, flip: true });
    while (!session.finished) await session.trainStep();
    const results = await session.evaluate();
    session.dispose();
    for (const [, result] of results) expect(Number.isFinite(result.test.loss)).toBe(true);
  });

  it('reports the removal of ResNet ghost skips once, at the first step of their end epoch', async () => {
    const cache = { dbName: 'import-ghosts' };
    await importDataset('cifar10', { files: [asFile(await cifar10Archive(40), 'cifar-10-binary.tar.gz')] }, { fetch: noNetwork, cache });
    forgetImported('cifar10');
    // 180 training images in batches of 45: 4 steps per epoch; α reaches 0 at epoch 2, i.e. on step 9.
    // Without LRsI: its GradInit iterations would cost several times these 12 steps and play no part here.
    const experiment: Experiment = { ...defaultExperiment, dataset: 'cifar10', arch: 'resnet20', width: 0.125, batchSize: 45, epochs: 3, gsnEnd: 1, gscSchedule: 'decay', gscEnd: 2, lrsi: false };
    const session = await PairedSession.create(experiment, { fetch: noNetwork, baseUrl: '/', cache });
    expect(session.info.recipes.find((r) => r.id === 'tost')!.ghostParams).toBeGreaterThan(0);
    const events: SessionEvent[] = [];
    await drivePairedSession(session, new RunControl(), (event) => events.push(event), { reportIntervalMs: 0 });
    session.dispose();
    expect(events.filter((e) => e.type === 'ghosts-removed')).toEqual([{ type: 'ghosts-removed', recipe: 'tost', step: 9, epoch: 2 }]);
    const ghostScales = events.flatMap((e) => (e.type === 'eval' && e.recipe === 'tost' ? [e.ghostScale] : []));
    expect(ghostScales).toEqual([0.5, 0, 0]);
  });

  it('a dataset not imported yet says so', async () => {
    forgetImported('cifar100');
    await expect(PairedSession.create({ ...defaultExperiment, dataset: 'cifar100', arch: 'lenet5' }, { fetch: noNetwork, baseUrl: '/', cache: { dbName: 'empty' } })).rejects.toThrow(
      /CIFAR-100 has not been imported yet/,
    );
  });
});
