import { describe, expect, it } from 'vitest';
import { CHAINS, simdPeakModule, simdPeakRun } from './simd-peak';

const chainStarts = (chains: number) => (chains * (chains - 1)) / 2;

describe('SIMD peak probe', () => {
  it('assembles a valid module for both operations', () => {
    expect(WebAssembly.validate(simdPeakModule('mul-add'))).toBe(true);
    expect(WebAssembly.validate(simdPeakModule('relaxed-madd'))).toBe(true);
  });

  it('mul-add multiplies one set of chains and adds to the other', async () => {
    const run = await simdPeakRun('mul-add');
    if (typeof run === 'string') throw new Error(run);
    const chains = CHAINS['mul-add'];
    expect(run(0, 2, 1)).toBe(2 * chainStarts(chains));
    // 3 iterations: a_i = i·2³, d_i = i + 3·0.5
    expect(run(3, 2, 0.5)).toBe(8 * chainStarts(chains) + chainStarts(chains) + chains * 1.5);
  });

  it('relaxed-madd does a·m + c in every chain', async () => {
    const run = await simdPeakRun('relaxed-madd');
    if (typeof run === 'string') throw new Error(run);
    // a ← 2a + 1 three times: 8i + 7
    const chains = CHAINS['relaxed-madd'];
    expect(run(3, 2, 1)).toBe(8 * chainStarts(chains) + 7 * chains);
  });

  it('keeps another chain count consistent', async () => {
    const bytes = simdPeakModule('mul-add', 3);
    const { instance } = await WebAssembly.instantiate(bytes);
    const run = instance.exports.run as (n: number, m: number, c: number) => number;
    expect(run(2, 1, 1)).toBe(2 * (0 + 1 + 2) + 3 * 2);
  });
});
