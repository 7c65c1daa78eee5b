import type { MaskMethodId } from './catalog';
import type { MaskInputs, MaskMethod, MaskResult } from './context';
import { gmpMask } from './gmp';
import { graspMask } from './grasp';
import { lotteryMask } from './lottery';
import { magnitudeMask } from './magnitude';
import { ompMask } from './omp';
import { erkMask, randomMask } from './random-masks';
import { snipMask } from './snip';
import { synflowMask } from './synflow';
import { taylorMask } from './taylor';

/** One method per id of catalog.ts (the type enforces it). */
export const MASK_METHODS_BY_ID: Record<MaskMethodId, MaskMethod> = {
  random: randomMask,
  erk: erkMask,
  magnitude: magnitudeMask,
  snip: snipMask,
  taylor: taylorMask,
  grasp: graspMask,
  synflow: synflowMask,
  omp: ompMask,
  gmp: gmpMask,
  imp: lotteryMask,
};

export function computeMask(inputs: MaskInputs): Promise<MaskResult> {
  return MASK_METHODS_BY_ID[inputs.experiment.mask](inputs);
}
