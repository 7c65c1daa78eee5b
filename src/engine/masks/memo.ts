import type { Experiment, FieldKey } from '../experiment/schema';
import { FIELDS, FIELD_KEYS } from '../experiment/schema';
import { maskMethodInfo } from './catalog';
import type { MaskResult } from './context';

/** Masks kept in memory: a few, since a ResNet-18 mask is 11 MB. */
const CAPACITY = 4;

/** Fields that do not change the mask; everything else (data, model, mask, seed and, for trained masks, the protocol) does. */
function affectsMask(key: FieldKey, experiment: Experiment): boolean {
  const group = FIELDS[key].group;
  if (group === 'tost') return false;
  if (group === 'training' && key !== 'seed') return maskMethodInfo(experiment.mask).trains && key !== 'epochs';
  return true;
}

export function maskKey(experiment: Experiment): string {
  return JSON.stringify(FIELD_KEYS.filter((key) => affectsMask(key, experiment)).map((key) => [key, experiment[key]]));
}

/**
 * Recently computed masks by everything that determines them, so training
 * again with other recipe settings (or after Stop) does not recompute a
 * SynFlow or lottery-ticket mask. Least recently used entries go first.
 */
export class MaskMemo {
  private readonly entries = new Map<string, MaskResult>();

  get(experiment: Experiment): MaskResult | undefined {
    const key = maskKey(experiment);
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(experiment: Experiment, result: MaskResult): void {
    const key = maskKey(experiment);
    this.entries.delete(key);
    this.entries.set(key, result);
    while (this.entries.size > CAPACITY) this.entries.delete(this.entries.keys().next().value!);
  }
}

export const sharedMaskMemo = new MaskMemo();
