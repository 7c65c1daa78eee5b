import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerTrainingKernels } from '../kernels/registry';
import { defaultExperiment, type Experiment } from '../experiment/schema';
import { summarizeModel } from '../models/summary';
import { PairedSession } from '../train/session';
import { listDatasets, loadDataset } from './cache';
import type { FetchFunction } from './fetch-progress';
import { fixtureColor, fixtureWnid, solidJpeg, tinyImageNetZip, zipMembers } from './formats/tiny-imagenet-fixture.test-support';
import { importDataset } from './importer';
import { tinyImageNetFootprint, tinyImageNetMismatch, tinyImageNetSettings } from './import-settings';
import { NORMALIZATION } from './normalize';
import { forgetImported } from './registry';

const noNetwork: FetchFunction = async () => new Response('no', { status: 404 });
const asFile = (bytes: Uint8Array, name = 'tiny-imagenet-200.zip') => new File([new Uint8Array(bytes)], name);
let dbCount = 0;
const freshCache = () => ({ dbName: `tiny-import-${dbCount++}`, estimate: async () => ({ quota: 1e9, usage: 0 }) });

/** Largest channel difference between image i of a split and a solid colour. */
function maxError(images: Uint8Array, i: number, side: number, color: readonly number[]): number {
  let worst = 0;
  const size = side * side * 3;
  for (let p = 0; p < side * side; p++) {
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(images[i * size + p * 3 + c]! - color[c]!));
  }
  return worst;
}

// Built once: 200 classes, 3 training and 1 validation image each (800 real JPEGs).
const ZIP = tinyImageNetZip({ classes: 200, trainPerClass: 3, valPerClass: 1 });

beforeAll(async () => {
  registerTrainingKernels();
  await tf.setBackend('wasm');
});

describe('importing TinyImageNet', () => {
  it('keeps the chosen subset at the chosen size, with labels and pixels right, and says what it kept', async () => {
    const cache = freshCache();
    const fractions: number[] = [];
    const info = await importDataset('tiny-imagenet', { files: [asFile(ZIP)] }, { fetch: noNetwork, cache, onProgress: (f) => fractions.push(f) }, { downsample: 2, trainPerClass: 2 });
    expect(info).toMatchObject({
      id: 'tiny-imagenet',
      name: 'TinyImageNet (32×32, 2 train/class)',
      inputShape: [32, 32, 3],
      trainCount: 400,
      testCount: 200,
      choices: { downsample: 2, trainPerClass: 2, testPerClass: null },
      sizeBytes: 600 * (32 * 32 * 3 + 4),
    });
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));

    const stored = (await loadDataset('tiny-imagenet', cache))!;
    expect(stored.classNames[7]).toBe('thing 7');
    // Interleaved across classes, so any prefix (the validation split) is balanced.
    expect(Array.from(stored.train.labels.subarray(0, 4))).toEqual([0, 1, 2, 3]);
    expect(Array.from(stored.train.labels.subarray(200, 203))).toEqual([0, 1, 2]);
    for (const i of [0, 57, 199, 200, 399]) expect(maxError(stored.train.images, i, 32, fixtureColor(stored.train.labels[i]!))).toBeLessThanOrEqual(3);
    // val_<n>.JPEG belongs to class n mod 200 in the fixture; the test split follows file numbers.
    expect(Array.from(stored.test.labels.subarray(0, 3))).toEqual([0, 1, 2]);
    for (const i of [0, 123, 199]) expect(maxError(stored.test.images, i, 32, fixtureColor(i))).toBeLessThanOrEqual(3);
  });

  it('at the published size keeps 64×64 images; importing again replaces the stored copy', async () => {
    const cache = freshCache();
    await importDataset('tiny-imagenet', { files: [asFile(ZIP)] }, { fetch: noNetwork, cache }, tinyImageNetSettings(defaultExperiment));
    const info = await importDataset('tiny-imagenet', { files: [asFile(ZIP)] }, { fetch: noNetwork, cache }, { downsample: 1 });
    expect(info).toMatchObject({ name: 'TinyImageNet', inputShape: [64, 64, 3], trainCount: 600, choices: { downsample: 1, trainPerClass: null } });
    expect(await listDatasets(cache)).toHaveLength(1);
    const stored = (await loadDataset('tiny-imagenet', cache))!;
    expect(stored.train.images.length).toBe(600 * 64 * 64 * 3);
    expect(maxError(stored.train.images, 5, 64, fixtureColor(5))).toBeLessThanOrEqual(3);
  });

  it('bad input gives a message naming the problem and leaves the stored copy as it was', async () => {
    const cache = freshCache();
    const good = await importDataset('tiny-imagenet', { files: [asFile(ZIP)] }, { fetch: noNetwork, cache }, { downsample: 2, trainPerClass: 1 });
    const root = 'tiny-imagenet-200/';
    const withEdit = (edit: (files: Record<string, Uint8Array>) => void) => {
      // A minimal 200-class archive (one image per class and split) with one thing broken.
      const files: Record<string, Uint8Array> = {};
      const text = (s: string) => new TextEncoder().encode(s);
      const wnids = Array.from({ length: 200 }, (_, k) => fixtureWnid(k));
      files[`${root}wnids.txt`] = text(wnids.join('\n'));
      files[`${root}val/val_annotations.txt`] = text(wnids.map((w, k) => `val_${k}.JPEG\t${w}\t0\t0\t63\t63`).join('\n'));
      wnids.forEach((w, k) => {
        files[`${root}train/${w}/images/${w}_0.JPEG`] = solidJpeg(fixtureColor(k));
        files[`${root}val/images/val_${k}.JPEG`] = solidJpeg(fixtureColor(k));
      });
      edit(files);
      return zipMembers(files);
    };
    const cases: [Uint8Array, RegExp, string?][] = [
      [new TextEncoder().encode('not a zip at all'), /tiny-imagenet-200\.zip is not a zip file or is truncated/],
      [ZIP.subarray(0, ZIP.length - 3000), /is not a zip file or is truncated/],
      [zipMembers({ 'cifar-10-batches-bin/data_batch_1.bin': new Uint8Array(30) }), /missing tiny-imagenet-200\/wnids\.txt: is it tiny-imagenet-200\.zip\?/],
      [withEdit((f) => delete f[`${root}val/val_annotations.txt`]), /missing tiny-imagenet-200\/val\/val_annotations\.txt/],
      [withEdit((f) => (f[`${root}val/images/val_9.JPEG`] = new TextEncoder().encode('garbage'))), /val_9\.JPEG is not a readable JPEG image/],
      [withEdit((f) => (f[`${root}train/${fixtureWnid(4)}/images/${fixtureWnid(4)}_0.JPEG`] = solidJpeg([1, 2, 3], 48))), /Wrong image size: .*_0\.JPEG is 48×48, expected 64×64/],
      [tinyImageNetZip({ classes: 3, trainPerClass: 1 }), /lists 3 classes in wnids\.txt; TinyImageNet has 200/],
    ];
    for (const [zip, message] of cases) {
      await expect(importDataset('tiny-imagenet', { files: [asFile(zip)] }, { fetch: noNetwork, cache }, { downsample: 2 })).rejects.toThrow(message);
    }
    await expect(importDataset('tiny-imagenet', { files: [asFile(ZIP), asFile(ZIP, 'copy.zip')] }, { fetch: noNetwork, cache })).rejects.toThrow(
      /TinyImageNet comes as one file, tiny-imagenet-200\.zip; 2 files were given/,
    );
    expect(await listDatasets(cache)).toEqual([good]);
  });

  it('trains a paired session on the stored copy: spec split, crop-and-flip, ImageNet normalisation', async () => {
    const cache = freshCache();
    // The fixture has 3 training images per class, so a cap of 100 keeps all 600.
    await importDataset('tiny-imagenet', { files: [asFile(ZIP)] }, { fetch: noNetwork, cache }, { downsample: 2, trainPerClass: 100 });
    forgetImported('tiny-imagenet');
    const experiment: Experiment = {
      ...defaultExperiment,
      dataset: 'tiny-imagenet',
      tinySize: '32',
      tinyPerClass: '100',
      arch: 'resnet20',
      width: 0.125,
      batchSize: 90,
      epochs: 1,
      gsnEnd: 1,
      gscEnd: 1,
      lrsi: false,
    };
    const session = await PairedSession.create(experiment, { fetch: noNetwork, baseUrl: '/', cache });
    expect(session.dataset.inputShape).toEqual([32, 32, 3]);
    expect(session.dataset.numClasses).toBe(200);
    // 600 training images: the validation fraction (10%) validates, 540 train; the official validation folder tests.
    expect(session.dataset.validation!.count).toBe(60);
    expect(session.info.trainCount).toBe(540);
    expect(session.info.testCount).toBe(200);
    expect(session.dataset.pixels).toEqual({ normalization: NORMALIZATION['tiny-imagenet'], augment: { padding: 4, flip: true } });
    await session.trainStep();
    await session.trainStep();
    expect(session.step).toBe(2);
    session.dispose();
  });

  it('refuses to train settings that name another import than the stored one, saying which and how to fix it', async () => {
    const cache = freshCache();
    await importDataset('tiny-imagenet', { files: [asFile(ZIP)] }, { fetch: noNetwork, cache }, { downsample: 1 });
    forgetImported('tiny-imagenet');
    const experiment: Experiment = { ...defaultExperiment, dataset: 'tiny-imagenet', arch: 'lenet5', epochs: 1 };
    await expect(PairedSession.create(experiment, { fetch: noNetwork, baseUrl: '/', cache })).rejects.toThrow(
      'These settings train on TinyImageNet at 32×32, 250 training images per class, but the copy in this browser was imported at 64×64, all 500 training images per class',
    );
    forgetImported('tiny-imagenet');
    const matching = await PairedSession.create({ ...experiment, tinySize: '64', tinyPerClass: '500', batchSize: 100 }, { fetch: noNetwork, baseUrl: '/', cache });
    expect(matching.dataset.inputShape).toEqual([64, 64, 3]);
    matching.dispose();
  });

  it('compares an import with the settings by size and images per class (a copy without recorded choices kept everything)', () => {
    const fields = { tinySize: '32', tinyPerClass: '250' } as const;
    expect(tinyImageNetMismatch({ downsample: 2, trainPerClass: 250 }, fields)).toBeNull();
    expect(tinyImageNetMismatch({ downsample: 2, trainPerClass: 100 }, fields)).toMatch(/imported at 32×32, 100 training images per class/);
    expect(tinyImageNetMismatch({ downsample: 1, trainPerClass: 250 }, fields)).toMatch(/imported at 64×64, 250/);
    expect(tinyImageNetMismatch(undefined, { tinySize: '64', tinyPerClass: '500' })).toBeNull();
    expect(tinyImageNetMismatch({ downsample: 1, trainPerClass: null }, { tinySize: '64', tinyPerClass: '500' })).toBeNull();
    expect(tinyImageNetMismatch(undefined, fields)).toMatch(/imported at 64×64, all 500/);
  });

  it('counts the parameters of the network the stored size will train', () => {
    const lenet = { ...defaultExperiment, dataset: 'tiny-imagenet' as const, arch: 'lenet5' as const };
    expect(summarizeModel(lenet, [32, 32, 3]).totalParams).toBeLessThan(summarizeModel(lenet).totalParams);
  });

  it('the size estimate for the default settings matches what an import stores', () => {
    // 250 per class at 32×32: CIFAR's 50,000 + 10,000 images, about 185 MB.
    expect(tinyImageNetFootprint(tinyImageNetSettings(defaultExperiment))).toEqual({ trainCount: 50_000, testCount: 10_000, bytes: 60_000 * (32 * 32 * 3 + 4) });
    expect(tinyImageNetFootprint({ downsample: 1 }).bytes).toBe(110_000 * (64 * 64 * 3 + 4));
  });
});
