import { relaxedGemmPolicy } from '../gemm-policy';

/** Runs `check` with the product's policy changed as `changes` says, and puts it back after. */
export function withPolicy<T>(changes: Partial<typeof relaxedGemmPolicy>, check: () => T): T {
  const saved = { ...relaxedGemmPolicy };
  Object.assign(relaxedGemmPolicy, changes);
  try {
    return check();
  } finally {
    Object.assign(relaxedGemmPolicy, saved);
  }
}
