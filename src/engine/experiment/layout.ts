/** How the experiment's fields are laid out in the lab: groups, and which fields matter under which settings. */
import { datasetKind } from '../data/catalog';
import { maskMethodInfo } from '../masks/catalog';
import type { Experiment, FieldKey } from './schema';

/** Controls are shown in these groups, in this order. */
export const FIELD_GROUPS = [
  { id: 'data', label: 'Data' },
  { id: 'model', label: 'Model' },
  { id: 'mask', label: 'Sparse mask' },
  { id: 'training', label: 'Training (both recipes)' },
  { id: 'tost', label: 'ToST recipe' },
] as const;

/** Fields that matter only under some settings; the UI hides them otherwise (their values are kept). */
const synthetic = (e: Experiment) => datasetKind(e.dataset) === 'synthetic-2d';

export const FIELD_RELEVANCE: Partial<Record<FieldKey, (experiment: Experiment) => boolean>> = {
  samples: synthetic,
  noise: synthetic,
  testFraction: synthetic,
  trainLimit: (e) => !synthetic(e),
  tinySize: (e) => e.dataset === 'tiny-imagenet',
  tinyPerClass: (e) => e.dataset === 'tiny-imagenet',
  hidden: (e) => e.arch === 'mlp',
  width: (e) => e.arch !== 'mlp',
  maskScope: (e) => maskMethodInfo(e.mask).scored,
  pretrainEpochs: (e) => maskMethodInfo(e.mask).trains,
  impRate: (e) => e.mask === 'imp',
  impRewind: (e) => e.mask === 'imp',
  synflowIters: (e) => e.mask === 'synflow',
  gsnActivation: (e) => e.gsn,
  pswishBeta: (e) => e.gsn && e.gsnActivation === 'pswish',
  gsnSchedule: (e) => e.gsn,
  gsnStart: (e) => e.gsn && e.gsnSchedule === 'blend',
  gsnEnd: (e) => e.gsn && e.gsnSchedule !== 'reference',
  lsAlpha: (e) => e.ls,
  lsConvention: (e) => e.ls,
  lsOff: (e) => e.ls,
  gscSchedule: (e) => e.gsc,
  gscEnd: (e) => e.gsc && e.gscSchedule === 'decay',
  lrsiIters: (e) => e.lrsi,
  lrsiLr: (e) => e.lrsi,
  lrsiEta: (e) => e.lrsi,
  lrsiGamma: (e) => e.lrsi,
  lrsiMinScale: (e) => e.lrsi,
  lrsiGradient: (e) => e.lrsi,
};

export function isRelevant(key: FieldKey, experiment: Experiment): boolean {
  return FIELD_RELEVANCE[key]?.(experiment) ?? true;
}
