/**
 * The most a WASM engine gives one thread for 128-bit float arithmetic: a
 * loop of independent 4-lane multiply and add chains (or relaxed SIMD's fused
 * multiply-add) on values that never leave registers, so no memory access,
 * packing or scheduling of a real kernel is counted. A matrix product in WASM
 * cannot beat it; PyTorch's products use the CPU's full-width FMA and can.
 *
 * The module is assembled byte by byte (wasm-bytes.ts), so the probe needs no
 * compiler and measures exactly the instructions named below.
 */

/** `mul-add`: f32x4.mul and f32x4.add in separate chains (what XNNPACK's WASM SIMD kernels issue); `relaxed-madd`: f32x4.relaxed_madd. */
export type SimdOp = 'mul-add' | 'relaxed-madd';

export const SIMD_OPS: readonly SimdOp[] = ['mul-add', 'relaxed-madd'];

/**
 * Independent chains per loop iteration: enough to cover the latency on two
 * pipes, few enough to stay in x64's 16 vector registers (V8 keeps one as
 * scratch). Measured best on the development machine: 5 multiply/add pairs
 * (10 registers; 7 pairs spill and halve the rate), 10 fused chains.
 */
export const CHAINS: Readonly<Record<SimdOp, number>> = { 'mul-add': 5, 'relaxed-madd': 10 };

/** Floating-point operations one iteration performs: every chain does one multiply and one add on 4 lanes (fused or not). */
export const flopsPerIteration = (chains: number) => chains * 2 * 4;

import { assembleModule, op, type, whileNot } from '../src/engine/kernels/wasm-gemm/wasm-bytes';

/**
 * A module exporting `run(iterations: i32, m: f32, c: f32) -> f32`. Chain i
 * starts at i in every lane. `mul-add`: a_i ← a_i·m and d_i ← d_i + c;
 * `relaxed-madd`: a_i ← a_i·m + c. It returns the sum of lane 0 of every
 * chain, so the work cannot be optimised away and tests can check it.
 */
export function simdPeakModule(kind: SimdOp, chains = CHAINS[kind]): Uint8Array<ArrayBuffer> {
  const [iterations, m, c, mVector, cVector] = [0, 1, 2, 3, 4];
  const firstChain = 5;
  const chainsPerLane = kind === 'mul-add' ? 2 : 1;
  const accumulators = Array.from({ length: chains * chainsPerLane }, (_, i) => firstChain + i);
  const product = (i: number) => firstChain + i;
  const sum = (i: number) => firstChain + chains + i;
  const indices = Array.from({ length: chains }, (_, i) => i);

  const body = [
    ...op.localGet(m), ...op.f32x4Splat, ...op.localSet(mVector),
    ...op.localGet(c), ...op.f32x4Splat, ...op.localSet(cVector),
    ...indices.flatMap((i) => [...op.f32Const(i), ...op.f32x4Splat, ...(kind === 'mul-add' ? [...op.localTee(product(i)), ...op.localSet(sum(i))] : op.localSet(product(i)))]),
    ...whileNot([...op.localGet(iterations), ...op.i32Eqz], [
      ...indices.flatMap((i) =>
        kind === 'mul-add'
          ? [
              ...op.localGet(product(i)), ...op.localGet(mVector), ...op.f32x4Mul, ...op.localSet(product(i)),
              ...op.localGet(sum(i)), ...op.localGet(cVector), ...op.f32x4Add, ...op.localSet(sum(i)),
            ]
          : [...op.localGet(product(i)), ...op.localGet(mVector), ...op.localGet(cVector), ...op.f32x4RelaxedMadd, ...op.localSet(product(i))],
      ),
      ...op.localGet(iterations), ...op.i32Const(1), ...op.i32Sub, ...op.localSet(iterations),
    ]),
    ...op.f32Const(0),
    ...accumulators.flatMap((local) => [...op.localGet(local), ...op.f32x4ExtractLane(0), ...op.f32Add]),
  ];
  return assembleModule([
    { name: 'run', params: [type.i32, type.f32, type.f32], results: [type.f32], locals: Array(2 + accumulators.length).fill(type.v128), body },
  ]);
}

type Run = (iterations: number, m: number, c: number) => number;

/** The module's `run`, or why this engine will not compile it (relaxed SIMD is behind a flag in Node 20). */
export async function simdPeakRun(kind: SimdOp, chains = CHAINS[kind]): Promise<Run | string> {
  const bytes = simdPeakModule(kind, chains);
  if (!WebAssembly.validate(bytes)) return kind === 'relaxed-madd' ? 'no relaxed SIMD in this engine' : 'no WASM SIMD in this engine';
  const { instance } = await WebAssembly.instantiate(bytes);
  return instance.exports.run as Run;
}

/** GFLOP/s of the median of repeated runs of about `seconds / 5` each, on the calling thread. */
export async function simdPeakGflops(kind: SimdOp, seconds = 1): Promise<number | string> {
  const run = await simdPeakRun(kind);
  if (typeof run === 'string') return run;
  // Warm up until the optimising compiler has the function (engines tier up after a few calls).
  for (let i = 0; i < 5; i++) run(100_000, 1, 1);
  let iterations = 1_000_000;
  const timeOnce = () => {
    const start = performance.now();
    run(iterations, 1, 1);
    return (performance.now() - start) / 1000;
  };
  iterations = Math.max(1, Math.round((iterations * (seconds / 5)) / Math.max(timeOnce(), 1e-4)));
  const times = Array.from({ length: 5 }, timeOnce).sort((a, b) => a - b);
  return (iterations * flopsPerIteration(CHAINS[kind])) / times[2]! / 1e9;
}
