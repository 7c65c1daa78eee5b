import type { z } from 'zod';
import { DATASETS } from '../data/catalog';
import { ARCHITECTURES } from '../models/catalog';
import { MASK_METHODS } from '../masks/catalog';
import { SOFT_ACTIVATIONS } from '../nn/activation-catalog';
import { boolField, enumField, intField, intListField, numberField, type Field } from './fields';

/**
 * The one list of experiment fields. Defaults, bounds, UI controls, the share
 * URL and validation (validation.ts) are all derived from this table; add a
 * field here and it appears everywhere. Order matters: it is the order of the
 * controls.
 */
export const FIELDS = {
  // Data
  dataset: enumField({
    group: 'data',
    label: 'Dataset',
    help: 'Which data both recipes train on.',
    options: DATASETS.map((d) => ({ value: d.id, label: d.label })),
    default: 'spirals',
  }),
  samples: intField({
    group: 'data',
    label: 'Samples',
    help: 'Points generated for a synthetic dataset (train and test together).',
    min: 100,
    max: 20000,
    step: 100,
    default: 1200,
  }),
  noise: numberField({
    group: 'data',
    label: 'Noise',
    help: 'Standard deviation of the Gaussian noise added to synthetic points.',
    min: 0,
    max: 1,
    step: 0.01,
    default: 0.1,
  }),
  testFraction: numberField({
    group: 'data',
    label: 'Test fraction',
    help: 'Share of the samples held out to measure test accuracy.',
    min: 0.1,
    max: 0.5,
    step: 0.05,
    default: 0.25,
  }),

  valFraction: numberField({
    group: 'data',
    label: 'Validation fraction',
    help: 'Share of the training samples held out to pick the best epoch (the reference reports test accuracy at the best validation epoch). 0 turns it off.',
    min: 0,
    max: 0.3,
    step: 0.05,
    default: 0.1,
  }),

  trainLimit: intField({
    group: 'data',
    label: 'Training images',
    help: 'Train on only the first N training images (0 = all), for a faster classroom run. Test images are always all used.',
    min: 0,
    max: 100000,
    step: 1000,
    default: 0,
  }),

  tinySize: enumField({
    group: 'data',
    label: 'Image size',
    help: 'The size TinyImageNet is imported at: 32×32 (downsampled 2×, a quarter of the storage) or 64×64 as published. The import uses it, and a run checks that the copy in this browser matches, so a shared link trains on the same data.',
    options: [
      { value: '32', label: '32×32 (downsampled 2×)' },
      { value: '64', label: '64×64 (as published)' },
    ],
    default: '32',
  }),
  tinyPerClass: enumField({
    group: 'data',
    label: 'Training images per class',
    help: 'TinyImageNet training images imported per class (the first by file number), of the 500 published; 250 gives CIFAR’s 50,000. Checked against the stored copy like the image size.',
    options: [
      { value: '100', label: '100' },
      { value: '250', label: '250' },
      { value: '500', label: '500 (all)' },
    ],
    default: '250',
  }),

  // Model
  arch: enumField({
    group: 'model',
    label: 'Architecture',
    help: 'The network both recipes train.',
    options: ARCHITECTURES.map((a) => ({ value: a.id, label: a.label })),
    default: 'mlp',
  }),
  hidden: intListField({
    group: 'model',
    label: 'Hidden widths',
    help: 'Units per hidden layer of the MLP, e.g. 64-64-64.',
    min: 2,
    max: 1024,
    minLength: 1,
    maxLength: 6,
    default: [64, 64, 64],
  }),
  width: numberField({
    group: 'model',
    label: 'Width multiplier',
    help: 'Scales every channel count of a convolutional network; 1 is the paper size, 0.25 trains far faster on a laptop.',
    min: 0.0625,
    max: 2,
    step: 0.0625,
    default: 1,
  }),

  // Mask
  mask: enumField({
    group: 'mask',
    label: 'Mask',
    help: 'How the sparse mask is chosen. Both recipes train the same mask.',
    options: MASK_METHODS.map((m) => ({ value: m.id, label: m.label })),
    default: 'erk',
  }),
  maskScope: enumField({
    group: 'mask',
    label: 'Scope',
    help: 'Rank the scores of all masked layers together (global, as the reference pruners do) or keep the same share of each layer.',
    options: [
      { value: 'global', label: 'Global' },
      { value: 'layer', label: 'Per layer' },
    ],
    default: 'global',
  }),
  sparsity: numberField({
    group: 'mask',
    label: 'Sparsity',
    help: 'Fraction of the masked weights that are pruned (0.9 keeps one weight in ten).',
    min: 0,
    max: 0.999,
    step: 0.005,
    logComplementSlider: { from: 0.5, to: 0.999 },
    default: 0.9,
  }),
  denseLayers: enumField({
    group: 'mask',
    label: 'Dense layers',
    help: 'Layers the mask leaves dense. The reference code never prunes the classifier; a tiny first layer left with a handful of weights cannot learn either.',
    options: [
      { value: 'ends', label: 'First and classifier' },
      { value: 'classifier', label: 'Classifier only (reference code)' },
      { value: 'none', label: 'None (prune every layer)' },
    ],
    default: 'ends',
  }),
  pretrainEpochs: intField({
    group: 'mask',
    label: 'Mask training epochs',
    help: 'Epochs of training (each round, for lottery tickets) before pruning, with the shared training protocol stretched over them.',
    min: 1,
    max: 200,
    default: 2,
  }),
  impRate: numberField({
    group: 'mask',
    label: 'Pruned per round',
    help: 'Share of the surviving weights each lottery-ticket round removes (the reference prunes 20%); the last round stops at the target.',
    min: 0.05,
    max: 0.9,
    step: 0.05,
    default: 0.2,
  }),
  impRewind: intField({
    group: 'mask',
    label: 'Rewind to epoch',
    help: 'Where each round restarts: 0 is the initialisation (the original lottery ticket), k the weights after epoch k of the first round; training starts there too.',
    min: 0,
    max: 200,
    default: 0,
  }),
  synflowIters: intField({
    group: 'mask',
    label: 'SynFlow iterations',
    help: 'Pruning steps on the exponential density schedule d^(k/n); the paper uses 100, and 1 shows layer collapse.',
    min: 1,
    max: 1000,
    default: 100,
  }),

  // Training protocol shared by both recipes
  epochs: intField({ group: 'training', label: 'Epochs', help: 'Passes over the training set.', min: 1, max: 500, default: 40 }),
  batchSize: intField({
    group: 'training',
    label: 'Batch size',
    help: 'Examples per SGD step.',
    min: 1,
    max: 1024,
    default: 32,
  }),
  lr: numberField({
    group: 'training',
    label: 'Learning rate',
    help: 'Initial SGD learning rate.',
    min: 0.0001,
    max: 2,
    step: 0.0001,
    default: 0.1,
  }),
  lrSchedule: enumField({
    group: 'training',
    label: 'LR schedule',
    help: 'Multistep divides the rate by 10 at 90/182 and 135/182 of the run, the shape of the reference protocol.',
    options: [
      { value: 'multistep', label: 'Multistep (reference shape)' },
      { value: 'cosine', label: 'Cosine' },
      { value: 'constant', label: 'Constant' },
    ],
    default: 'multistep',
  }),
  warmupEpochs: intField({
    group: 'training',
    label: 'Warm-up epochs',
    help: 'The learning rate rises linearly from near 0 over these first epochs, then follows the schedule.',
    min: 0,
    max: 50,
    default: 0,
  }),
  momentum: numberField({
    group: 'training',
    label: 'Momentum',
    help: 'SGD momentum (PyTorch convention, no dampening).',
    min: 0,
    max: 0.99,
    step: 0.01,
    default: 0.9,
  }),
  weightDecay: numberField({
    group: 'training',
    label: 'Weight decay',
    help: 'Coupled L2 weight decay added to the gradient, as PyTorch SGD does.',
    min: 0,
    max: 0.01,
    step: 0.0001,
    default: 0.0002,
  }),
  seed: intField({
    group: 'training',
    label: 'Seed',
    help: 'Seeds the data, initial weights, mask and batch order of both recipes.',
    min: 0,
    max: 2147483647,
    default: 1,
  }),

  // ToST recipe
  gsn: boolField({
    group: 'tost',
    label: 'Ghost soft neurons',
    help: 'Replace every ReLU of the ToST run by a smooth activation early in training.',
    default: true,
  }),
  gsnActivation: enumField({
    group: 'tost',
    label: 'Soft activation',
    help: 'The smooth activation used while the ghost neurons are active.',
    options: SOFT_ACTIVATIONS.map((a) => ({ value: a.id, label: a.label })),
    default: 'swish',
  }),
  pswishBeta: numberField({
    group: 'tost',
    label: 'Parametric swish β',
    help: 'β of x·σ(βx); the reference code fixes it at 2.',
    min: 0.1,
    max: 10,
    step: 0.1,
    default: 2,
  }),
  gsnSchedule: enumField({
    group: 'tost',
    label: 'Ghost neuron schedule',
    help: 'Blend: soft turns into ReLU between the start and end epochs. Switch: soft until the end epoch. Reference code: soft for the whole run.',
    options: [
      { value: 'blend', label: 'Blend into ReLU' },
      { value: 'switch', label: 'Switch to ReLU' },
      { value: 'reference', label: 'Soft throughout (reference code)' },
    ],
    default: 'blend',
  }),
  gsnStart: intField({
    group: 'tost',
    label: 'Blend start epoch',
    help: 'Epoch at which the blend from soft to ReLU begins.',
    min: 0,
    max: 500,
    default: 0,
  }),
  gsnEnd: intField({
    group: 'tost',
    label: 'Ghost neurons end epoch',
    help: 'Epoch from which the network is pure ReLU (blend and switch schedules). Ending early, before the first learning-rate drop, leaves the ReLU network time to train at the full rate.',
    min: 0,
    max: 500,
    default: 10,
  }),
  gsc: boolField({
    group: 'tost',
    label: 'Ghost skip connections',
    help: 'Add dense 1×1 conv + BN branches beside the sparse convs of the ToST run (identity skips for an MLP), outside the mask.',
    default: true,
  }),
  gscSchedule: enumField({
    group: 'tost',
    label: 'Ghost skip schedule',
    help: 'Fade out: the branches\' weight α falls from 1 to 0 by the end epoch, then they are removed. Reference code: α = 1 for the whole run, branches kept.',
    options: [
      { value: 'decay', label: 'Fade out, then remove' },
      { value: 'reference', label: 'Keep throughout (reference code)' },
    ],
    default: 'decay',
  }),
  gscEnd: intField({
    group: 'tost',
    label: 'Ghost skips end epoch',
    help: 'Epoch at which α reaches 0 and the ghost branches are removed.',
    min: 1,
    max: 500,
    default: 10,
  }),
  ls: boolField({
    group: 'tost',
    label: 'Label smoothing',
    help: 'Train the ToST run on smoothed labels.',
    default: true,
  }),
  lsAlpha: numberField({
    group: 'tost',
    label: 'Smoothing α',
    help: 'Probability mass moved away from the true class.',
    min: 0,
    max: 0.5,
    step: 0.01,
    default: 0.1,
  }),
  lsConvention: enumField({
    group: 'tost',
    label: 'Smoothing convention',
    help: 'Reference code: the true class gets 1−α, every other class α/(C−1). Uniform: (1−α)·one-hot + α/C.',
    options: [
      { value: 'others', label: 'α/(C−1) to other classes (reference code)' },
      { value: 'uniform', label: 'α/C to every class' },
    ],
    default: 'others',
  }),
  lsOff: intField({
    group: 'tost',
    label: 'Smoothing off from epoch',
    help: 'Train on plain labels from this epoch on; 0 keeps smoothing for the whole run (reference code).',
    min: 0,
    max: 500,
    default: 0,
  }),
  lrsi: boolField({
    group: 'tost',
    label: 'Layer-wise rescaling (LRsI)',
    help: 'Before training, GradInit learns one scale per weight tensor of the masked ToST network so that its first SGD step lowers the loss most, with the gradient norm bounded by γ. Pruned weights stay zero.',
    default: true,
  }),
  lrsiIters: intField({
    group: 'tost',
    label: 'LRsI iterations',
    help: 'GradInit iterations, each on two or three training batches. The reference uses 180; 50 keeps a classroom run quick (scales move by about the LRsI rate per iteration).',
    min: 1,
    max: 2000,
    default: 50,
  }),
  lrsiLr: numberField({
    group: 'tost',
    label: 'LRsI rate',
    help: 'Adam learning rate of the scales (reference 0.01).',
    min: 0.0001,
    max: 0.5,
    step: 0.0001,
    default: 0.01,
  }),
  lrsiEta: numberField({
    group: 'tost',
    label: 'LRsI step η',
    help: 'Length of the normalised gradient step whose outcome GradInit optimises (reference 0.1).',
    min: 0.001,
    max: 10,
    step: 0.001,
    default: 0.1,
  }),
  lrsiGamma: numberField({
    group: 'tost',
    label: 'LRsI gradient bound γ',
    help: 'While the gradient norm exceeds γ, GradInit lowers the norm instead of the loss (reference 1).',
    min: 0.001,
    max: 1000,
    step: 0.001,
    default: 1,
  }),
  lrsiMinScale: numberField({
    group: 'tost',
    label: 'LRsI minimum scale',
    help: 'No weight or BatchNorm γ tensor is scaled below this (reference 0.01); biases may shrink to 0.',
    min: 0,
    max: 1,
    step: 0.001,
    default: 0.01,
  }),
  lrsiGradient: enumField({
    group: 'tost',
    label: 'LRsI gradient',
    help: 'Masked: the simulated first step is the masked one that training takes. Reference code: the unmasked gradient, which also moves pruned weights in the look-ahead (the scales still keep them zero).',
    options: [
      { value: 'masked', label: 'Masked (the step training takes)' },
      { value: 'dense', label: 'Unmasked (reference code)' },
    ],
    default: 'masked',
  }),
} satisfies Record<string, Field>;

export type FieldKey = keyof typeof FIELDS;
export const FIELD_KEYS = Object.keys(FIELDS) as FieldKey[];

export type Experiment = { readonly [K in FieldKey]: z.infer<(typeof FIELDS)[K]['schema']> };

export const defaultExperiment: Experiment = Object.freeze(
  Object.fromEntries(FIELD_KEYS.map((key) => [key, FIELDS[key].default])) as Experiment,
);
