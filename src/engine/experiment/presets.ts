import type { Experiment } from './schema';

export interface ProtocolPreset {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly values: Partial<Experiment>;
}

/**
 * Training protocols shared by both recipes. The reference is the ToST code's
 * CIFAR protocol (spec §3.1); the classroom preset keeps its shape (multistep at
 * the same fractions of the run, same optimiser) in far fewer epochs.
 */
export const PROTOCOL_PRESETS: readonly ProtocolPreset[] = [
  {
    id: 'reference',
    label: 'Reference protocol',
    description: '182 epochs, SGD 0.1 with momentum 0.9, ×0.1 at epochs 90 and 135, weight decay 2e-4, batch 128.',
    values: { epochs: 182, lr: 0.1, lrSchedule: 'multistep', warmupEpochs: 0, momentum: 0.9, weightDecay: 0.0002, batchSize: 128 },
  },
  {
    id: 'classroom',
    label: 'Classroom',
    description: 'The reference protocol scaled down to 20 epochs (rate drops at epochs 10 and 15), batch 128.',
    values: { epochs: 20, lr: 0.1, lrSchedule: 'multistep', warmupEpochs: 0, momentum: 0.9, weightDecay: 0.0002, batchSize: 128 },
  },
];

const ALL_OFF = { gsn: false, gsc: false, ls: false, lrsi: false } as const;
/** The paper's reading: ghosts only early in training (they fade into the plain masked ReLU network), smoothed labels, a rescaled initialisation. */
const PAPER = { gsn: true, gsnSchedule: 'blend', gsc: true, gscSchedule: 'decay', ls: true, lsOff: 0, lrsi: true } as const;
/** GradInit as the reference README runs it (spec §1.4): 180 iterations, lr 0.01, η 0.1, γ 1, floor 0.01, unmasked gradient. */
const REFERENCE_LRSI = { lrsi: true, lrsiIters: 180, lrsiLr: 0.01, lrsiEta: 0.1, lrsiGamma: 1, lrsiMinScale: 0.01, lrsiGradient: 'dense' } as const;

/**
 * What the ToST side trains with. Ablations switch single techniques on or
 * off from the paper reading; schedule end epochs are left as they are.
 */
export const RECIPE_PRESETS: readonly ProtocolPreset[] = [
  {
    id: 'tost-paper',
    label: 'ToST (paper: early-stage ghosts)',
    description: 'Ghost neurons blend into ReLU and ghost skips fade out early; label smoothing throughout; GradInit rescales the masked initialisation.',
    values: PAPER,
  },
  {
    id: 'tost-reference',
    label: 'ToST (reference code)',
    description: 'As the public code runs: soft activations and ghost skips for the whole run (kept at test time), label smoothing 0.1, GradInit with the README settings.',
    values: { gsn: true, gsnSchedule: 'reference', gsc: true, gscSchedule: 'reference', ls: true, lsOff: 0, lsAlpha: 0.1, lsConvention: 'others', ...REFERENCE_LRSI },
  },
  { id: 'default', label: 'Default (dense protocol) on both sides', description: 'No technique: both sides train alike, a check that they match.', values: ALL_OFF },
  { id: 'only-gsn', label: 'Ablation: ghost neurons only', description: 'Only the ghost soft neurons of the paper reading.', values: { ...ALL_OFF, gsn: true, gsnSchedule: 'blend' } },
  { id: 'only-gsc', label: 'Ablation: ghost skips only', description: 'Only the ghost skip connections of the paper reading.', values: { ...ALL_OFF, gsc: true, gscSchedule: 'decay' } },
  { id: 'only-ls', label: 'Ablation: label smoothing only', description: 'Only label smoothing.', values: { ...ALL_OFF, ls: true, lsOff: 0 } },
  { id: 'only-lrsi', label: 'Ablation: LRsI only', description: 'Only the GradInit rescaling of the masked initialisation.', values: { ...ALL_OFF, lrsi: true } },
  { id: 'no-gsn', label: 'Ablation: all but ghost neurons', description: 'The paper reading without ghost soft neurons.', values: { ...PAPER, gsn: false } },
  { id: 'no-gsc', label: 'Ablation: all but ghost skips', description: 'The paper reading without ghost skip connections.', values: { ...PAPER, gsc: false } },
  { id: 'no-ls', label: 'Ablation: all but label smoothing', description: 'The paper reading without label smoothing.', values: { ...PAPER, ls: false } },
  { id: 'no-lrsi', label: 'Ablation: all but LRsI', description: 'The paper reading without rescaling the initialisation.', values: { ...PAPER, lrsi: false } },
];

export function matchingPreset(experiment: Experiment, presets: readonly ProtocolPreset[] = PROTOCOL_PRESETS): ProtocolPreset | null {
  return (
    presets.find((preset) => Object.entries(preset.values).every(([key, value]) => experiment[key as keyof Experiment] === value)) ?? null
  );
}
