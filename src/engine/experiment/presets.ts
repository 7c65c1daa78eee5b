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

export function matchingPreset(experiment: Experiment): ProtocolPreset | null {
  return (
    PROTOCOL_PRESETS.find((preset) =>
      Object.entries(preset.values).every(([key, value]) => experiment[key as keyof Experiment] === value),
    ) ?? null
  );
}
