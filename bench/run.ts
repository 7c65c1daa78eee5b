/**
 * `npm run bench`: training-step speed per workload (batch 128, SGD with
 * momentum, cross-entropy) on tfjs in Node (WASM with the lab's kernels, by
 * default), unmasked and with a 90% random mask, next to PyTorch CPU on the
 * same workloads when /usr/bin/python3 has torch (timed before and after the
 * tfjs rows of each workload, the faster kept); with --browser also in
 * headless Chromium on WASM, WebGL and WebGPU. Everything runs in one process,
 * workload by workload, so the ratios compare runs under the same load.
 *
 *   npm run bench -- --steps 3 --only mlp,lenet5 --backends wasm,cpu --browser --browser-backends wasm,webgl
 *
 * Flags (--backends none: no Node rows): --steps (timed steps instead of each workload's default: 100 MLP, 20
 * LeNet-5, 5 ResNet-20, 2 ResNet-18; never more for the ResNets), --only
 * (architecture ids), --backends (Node: wasm, with the product on one thread
 * per core; wasm:1, with it on one thread; cpu), --browser,
 * --browser-backends (wasm, webgl, webgpu), --browser-timeout (seconds per
 * measurement, default 300), --sparsity (default 0.9), --torch-threads
 * (PyTorch's intra-op thread counts, one column each, default 2,1), --no-pytorch,
 * --no-gemm (skip the closing tables of single matrix products, bench/gemm.ts, and of the
 * per-thread SIMD peak, bench/simd-peak.ts).
 */
import '../build/node-relaxed-simd';
import * as tf from '@tensorflow/tfjs';
import '../build/node-shared-heap';
import type { GemmThreads } from '../src/engine/kernels/wasm-gemm/gemm-threads';
import { startNodeProductHelpers } from '../build/node-gemm-helpers';
import { registerTrainingKernels } from '../src/engine/kernels/registry';
import { createGemm, useRelaxedGemm } from '../src/engine/kernels/wasm-gemm/relaxed-gemm';
import { BrowserBench } from './browser';
import type { BrowserAnswer, BrowserRequest } from './browser/protocol';
import { stepGflopPerImage } from './flops';
import { GEMM_SHAPES, tfjsGemmGflops, type GemmShape } from './gemm';
import { SIMD_OPS, simdPeakGflops, type SimdOp } from './simd-peak';
import { INSTALL_HINT, PytorchBench, torchAvailable } from './pytorch';
import { timeMaskedAndUnmasked, type PairTiming, type StepTiming } from './step-time';
import { stepCounts, WORKLOADS, type Workload } from './workloads';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const steps = argument('steps') === undefined ? undefined : Number(argument('steps'));
const sparsity = Number(argument('sparsity') ?? 0.9);
const only = argument('only')?.split(',');
const nodeBackends = (argument('backends') ?? 'wasm').split(',').filter((b) => b !== 'none');
const browserBackends = (argument('browser-backends') ?? 'wasm,webgl,webgpu').split(',') as BrowserRequest['backend'][];
const browserTimeoutMs = 1000 * Number(argument('browser-timeout') ?? 300);
const torchThreads = (argument('torch-threads') ?? '2,1').split(',').map(Number);

interface Row {
  readonly workload: Workload;
  readonly backend: string;
  readonly timing: PairTiming | null;
  readonly problem?: string;
}

/**
 * The lab's product on one thread per core, for the `wasm` rows (`wasm:1` swaps in a product on this thread
 * alone), in the WASM backend's shared heap: started once that backend is (main).
 */
let productThreads: GemmThreads | null = null;

/**
 * Runs `measure` on a Node backend named as in --backends, labelled with the
 * threads its product runs on; `null` if tfjs cannot start that backend.
 */
async function onNodeBackend<T>(backend: string, measure: () => Promise<T>): Promise<{ label: string; result: T } | null> {
  const oneThread = backend === 'wasm:1';
  const tfjsBackend = oneThread ? 'wasm' : backend;
  if (!(await tf.setBackend(tfjsBackend).catch(() => false))) return null;
  const lanes = oneThread ? 1 : (productThreads?.lanes() ?? 1);
  const label = tfjsBackend === 'wasm' ? `Node wasm (${threadsLabel(lanes)})` : `Node ${backend}`;
  const threaded = oneThread ? useRelaxedGemm(createGemm()) : null;
  try {
    return { label, result: await measure() };
  } finally {
    if (oneThread) useRelaxedGemm(threaded);
  }
}

const fixed = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 80);

async function pytorch(): Promise<PytorchBench | null> {
  if (flag('no-pytorch')) return null;
  if (!torchAvailable()) {
    console.log(INSTALL_HINT);
    return null;
  }
  const bench = await PytorchBench.start();
  const { setup } = bench;
  const pthread = setup.blasLibraries.some((library) => library.includes('openblas-pthread'));
  console.log(`PyTorch ${setup.torch}, CPU, ${torchThreads.join(' and ')} threads, OPENBLAS_NUM_THREADS=1; BLAS ${setup.blasInfo} → ${setup.blasLibraries.join(', ') || 'none loaded'}${pthread ? '' : ' (not OpenBLAS pthread)'}`);
  return bench;
}

/**
 * PyTorch on one workload, timed before and again after the tfjs rows (the
 * machine's load drifts): the faster of the two is kept, the comparison least
 * flattering to tfjs.
 */
async function timeTorch(torch: PytorchBench, workload: Workload, timed: number, warmup: number, threads: number): Promise<StepTiming | string> {
  try {
    const timing = await torch.time(workload, timed, warmup, threads);
    console.log(`  PyTorch, ${threads} thread${threads === 1 ? '' : 's'}: ${fixed(timing.imagesPerSecond)} images/s`);
    return timing;
  } catch (error) {
    console.log(`  PyTorch, ${threads} threads: ${errorText(error)}`);
    return errorText(error);
  }
}

const faster = (a: StepTiming | string | undefined, b: StepTiming | string): StepTiming | string =>
  typeof a !== 'object' ? b : typeof b !== 'object' || a.imagesPerSecond >= b.imagesPerSecond ? a : b;

async function browser(): Promise<BrowserBench | null> {
  if (!flag('browser')) return null;
  try {
    const bench = await BrowserBench.start();
    console.log(`Chromium ${bench.version} (headless), backends ${browserBackends.join(', ')}`);
    return bench;
  } catch (error) {
    console.log(`Chromium benchmark skipped: ${errorText(error)}`);
    return null;
  }
}

async function main(): Promise<void> {
  registerTrainingKernels();
  if (nodeBackends.includes('wasm') && (await tf.setBackend('wasm').catch(() => false))) {
    productThreads = startNodeProductHelpers();
    await productThreads?.ready();
  }
  const workloads = WORKLOADS.filter((w) => !only || only.includes(w.arch));
  const torch = await pytorch();
  const chromium = await browser();
  const rows: Row[] = [];
  /** Per workload, PyTorch's timing for each of torchThreads. */
  const torchTimes = new Map<Workload, (StepTiming | string)[]>();
  const report = (row: Row) => {
    rows.push(row);
    const t = row.timing;
    console.log(`  ${row.backend}: ${t ? `${fixed(t.unmasked.imagesPerSecond)} images/s unmasked, ${fixed(t.masked.imagesPerSecond)} masked` : row.problem}`);
  };
  for (const workload of workloads) {
    const { timed, warmup } = stepCounts(workload, steps);
    console.log(`${workload.name}, batch ${workload.batch}: ${timed} timed steps after ${warmup} warm-up`);
    const timeAllThreads = async () => {
      const times: (StepTiming | string)[] = [];
      for (const threads of torchThreads) times.push(await timeTorch(torch!, workload, timed, warmup, threads));
      return times;
    };
    if (torch) torchTimes.set(workload, await timeAllThreads());
    for (const backend of nodeBackends) {
      const measured = await onNodeBackend(backend, () =>
        timeMaskedAndUnmasked(workload, sparsity, timed, warmup, workload.oneAtATime).then(
          (timing) => ({ timing, problem: undefined }),
          (error: unknown) => ({ timing: null, problem: `fails: ${errorText(error)}` }),
        ),
      );
      if (measured === null) report({ workload, backend: `Node ${backend}`, timing: null, problem: 'not available' });
      else report({ workload, backend: measured.label, ...measured.result });
    }
    for (const backend of chromium ? browserBackends : []) {
      const answer = await chromium!.time({ kind: 'steps', backend, workload, sparsity, steps: timed, warmup }, browserTimeoutMs);
      const label = chromiumLabel(backend, answer);
      if (answer.ok && !('timing' in answer)) throw new Error('the worker answered a step request with something else');
      report(answer.ok ? { workload, backend: label, timing: answer.timing } : { workload, backend: label, timing: null, problem: answer.error.slice(0, 80) });
    }
    if (torch) {
      const before = torchTimes.get(workload)!;
      torchTimes.set(workload, (await timeAllThreads()).map((after, i) => faster(before[i], after)));
    }
  }
  const gemmRows = flag('no-gemm') ? [] : await gemmCeiling(torch, chromium);
  const peakRows = flag('no-gemm') ? [] : await simdPeaks(chromium);
  torch?.close();
  await chromium?.close();
  printTable(rows, torchTimes);
  if (gemmRows.length > 0) {
    printGemmTable(gemmRows);
    const gflops = new Map<Workload, number>();
    for (const workload of workloads) gflops.set(workload, await stepGflopPerImage(workload));
    printEfficiencyTable(rows, torchTimes, gemmRows, gflops);
  }
  if (peakRows.length > 0) printPeakTable(peakRows);
}

interface PeakRow {
  readonly engine: string;
  readonly gflops: Readonly<Record<SimdOp, number | string>>;
}

/** The per-thread SIMD peak of each WASM engine (bench/simd-peak.ts): what no WASM kernel can beat on one thread. */
async function simdPeaks(chromium: BrowserBench | null): Promise<PeakRow[]> {
  console.log('SIMD peak, one thread');
  const rows: PeakRow[] = [];
  const measure = async (timeOne: (op: SimdOp) => Promise<number | string>) => {
    const gflops = {} as Record<SimdOp, number | string>;
    for (const op of SIMD_OPS) gflops[op] = await timeOne(op).catch(errorText);
    return gflops;
  };
  if (nodeBackends.some((name) => name.startsWith('wasm'))) rows.push({ engine: `Node ${process.versions.node}`, gflops: await measure((op) => simdPeakGflops(op)) });
  if (chromium && browserBackends.includes('wasm')) {
    const gflops = await measure(async (op) => {
      const answer = await chromium.time({ kind: 'simd-peak', backend: 'wasm', op }, browserTimeoutMs);
      return answer.ok && 'gflops' in answer ? answer.gflops : answer.ok ? 'no answer' : answer.error.slice(0, 80);
    });
    rows.push({ engine: `Chromium ${chromium.version.split('.')[0]} (worker)`, gflops });
  }
  for (const row of rows) console.log(`  ${row.engine}: ${SIMD_OPS.map((op) => `${op} ${typeof row.gflops[op] === 'number' ? `${fixed(row.gflops[op])} GFLOP/s` : row.gflops[op]}`).join(', ')}`);
  return rows;
}

function printPeakTable(rows: readonly PeakRow[]): void {
  console.log('\nThe 128-bit WASM SIMD peak of one thread: independent 4-lane multiply and add chains, or relaxed fused multiply-adds, on registers only.\n');
  console.log('| engine | multiply, then add GFLOP/s | relaxed fused multiply-add GFLOP/s |\n|---|---:|---:|');
  for (const row of rows) console.log(`| ${row.engine} | ${SIMD_OPS.map((op) => (typeof row.gflops[op] === 'number' ? fixed(row.gflops[op]) : row.gflops[op])).join(' | ')} |`);
}

/**
 * How close each training step comes to its backend's matrix-product
 * ceiling: the step's product work per image (bench/flops.ts) times images/s,
 * against the fastest single product of the GEMM table on the same backend.
 */
function printEfficiencyTable(
  rows: readonly Row[],
  torchTimes: ReadonlyMap<Workload, (StepTiming | string)[]>,
  gemmRows: readonly GemmRow[],
  gflopPerImage: ReadonlyMap<Workload, number>,
): void {
  const ceiling = (backend: string) => Math.max(0, ...gemmRows.filter((row) => row.backend === backend).map((row) => (typeof row.gflops === 'number' ? row.gflops : 0)));
  const torchCeiling = torchThreads.map((_, i) => Math.max(0, ...gemmRows.map((row) => row.torch[i]).map((value) => (typeof value === 'number' ? value : 0))));
  const share = (achieved: number, best: number) => (best > 0 ? `${Math.round((100 * achieved) / best)}%` : '—');
  const header = [
    'workload',
    'GFLOP per image (products of one step)',
    'tfjs backend',
    'tfjs GFLOP/s',
    'share of its GEMM',
    ...torchThreads.flatMap((threads) => [`PyTorch ${threadsLabel(threads)} GFLOP/s`, 'share of its GEMM']),
  ];
  console.log('\nProduct work done per second in the training steps above, as a share of the same backend\'s fastest single product.\n');
  console.log(`| ${header.join(' | ')} |\n|${header.map((_, i) => (i === 0 || i === 2 ? '---' : '---:')).join('|')}|`);
  for (const row of rows) {
    const perImage = gflopPerImage.get(row.workload);
    const best = ceiling(row.backend);
    if (!row.timing || perImage === undefined || best === 0) continue;
    const achieved = perImage * row.timing.unmasked.imagesPerSecond;
    const torch = torchTimes.get(row.workload) ?? [];
    const cells = [
      row.workload.name,
      perImage.toFixed(4),
      row.backend,
      fixed(achieved),
      share(achieved, best),
      ...torchThreads.flatMap((_, i) => {
        const timing = torch[i];
        if (typeof timing !== 'object') return ['—', '—'];
        const torchAchieved = perImage * timing.imagesPerSecond;
        return [fixed(torchAchieved), share(torchAchieved, torchCeiling[i]!)];
      }),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

const threadsLabel = (threads: number) => `${threads} thread${threads === 1 ? '' : 's'}`;

const chromiumLabel = (backend: string, answer: BrowserAnswer) =>
  `Chromium ${backend}${answer.ok && answer.threads !== null ? ` (${threadsLabel(answer.threads)})` : ''}`;

interface GemmRow {
  readonly shape: GemmShape;
  readonly backend: string;
  readonly gflops: number | string;
  /** PyTorch's GFLOP/s for each of torchThreads (or why not). */
  readonly torch: readonly (number | string)[];
}

/**
 * One matrix product per shape on tfjs's WASM (Node, and Chromium with its
 * threads) and PyTorch (timed before and after, the faster kept): what the
 * kernels themselves allow, apart from everything else a training step does.
 */
async function gemmCeiling(torch: PytorchBench | null, chromium: BrowserBench | null): Promise<GemmRow[]> {
  const rows: GemmRow[] = [];
  const torchGemm = async (shape: GemmShape) => {
    const results: (number | string)[] = [];
    for (const threads of torch ? torchThreads : []) results.push(await torch!.gemm(shape, threads).catch(errorText));
    return results;
  };
  const best = (a: number | string, b: number | string) => (typeof a !== 'number' ? b : typeof b !== 'number' ? a : Math.max(a, b));
  for (const shape of GEMM_SHAPES) {
    console.log(`GEMM ${shape.name}`);
    const before = await torchGemm(shape);
    const measured: { backend: string; gflops: number | string }[] = [];
    for (const backend of nodeBackends.filter((name) => name.startsWith('wasm'))) {
      const product = await onNodeBackend(backend, () => tfjsGemmGflops(shape).catch(errorText));
      if (product !== null) measured.push({ backend: product.label, gflops: product.result });
    }
    if (chromium && browserBackends.includes('wasm')) {
      const answer = await chromium.time({ kind: 'gemm', backend: 'wasm', shape }, browserTimeoutMs);
      measured.push({ backend: chromiumLabel('wasm', answer), gflops: answer.ok && 'gflops' in answer ? answer.gflops : answer.ok ? 'no answer' : answer.error.slice(0, 80) });
    }
    const after = await torchGemm(shape);
    const torchBest = before.map((value, i) => best(value, after[i]!));
    for (const { backend, gflops } of measured) {
      console.log(`  ${backend}: ${typeof gflops === 'number' ? `${fixed(gflops)} GFLOP/s` : gflops}`);
      rows.push({ shape, backend, gflops, torch: torchBest });
    }
    torchBest.forEach((value, i) => console.log(`  PyTorch, ${threadsLabel(torchThreads[i]!)}: ${typeof value === 'number' ? `${fixed(value)} GFLOP/s` : value}`));
  }
  return rows;
}

function printGemmTable(rows: readonly GemmRow[]): void {
  const header = [
    'matrix product',
    'tfjs backend',
    'tfjs GFLOP/s',
    ...torchThreads.map((threads) => `PyTorch ${threadsLabel(threads)} GFLOP/s`),
    ...torchThreads.map((threads) => `tfjs/PyTorch ${threadsLabel(threads)}`),
  ];
  console.log('\nOne matrix product (median), the ceiling for a GEMM-bound step; PyTorch: the faster of its runs before and after.\n');
  console.log(`| ${header.join(' | ')} |\n|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`);
  for (const row of rows) {
    const cells = [
      row.shape.name,
      row.backend,
      typeof row.gflops === 'number' ? fixed(row.gflops) : row.gflops,
      ...torchThreads.map((_, i) => {
        const value = row.torch[i];
        return typeof value === 'number' ? fixed(value) : (value ?? '—');
      }),
      ...torchThreads.map((_, i) => {
        const value = row.torch[i];
        return typeof row.gflops === 'number' && typeof value === 'number' ? `${(row.gflops / value).toFixed(2)}×` : '—';
      }),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

function printTable(rows: readonly Row[], torchTimes: ReadonlyMap<Workload, (StepTiming | string)[]>): void {
  const header = [
    'workload',
    'tfjs backend',
    'unmasked images/s',
    `masked (${Math.round(sparsity * 100)}%) images/s`,
    'masked/unmasked time',
    ...torchThreads.map((threads) => `PyTorch ${threadsLabel(threads)} images/s`),
    ...torchThreads.map((threads) => `tfjs/PyTorch ${threadsLabel(threads)}`),
  ];
  const lines = rows.map((row) => {
    const torch = torchTimes.get(row.workload) ?? [];
    const t = row.timing;
    return [
      row.workload.name,
      row.backend,
      t ? fixed(t.unmasked.imagesPerSecond) : '—',
      t ? fixed(t.masked.imagesPerSecond) : (row.problem ?? '—'),
      t ? `${t.maskedOverUnmasked.toFixed(3)}${t.paired ? '' : ' (not paired)'}` : '—',
      ...torchThreads.map((_, i) => {
        const timing = torch[i];
        return typeof timing === 'object' ? fixed(timing.imagesPerSecond) : (timing ?? '—');
      }),
      ...torchThreads.map((_, i) => {
        const timing = torch[i];
        return t && typeof timing === 'object' ? `${(t.unmasked.imagesPerSecond / timing.imagesPerSecond).toFixed(2)}×` : '—';
      }),
    ];
  });
  console.log(`\nImages per second at batch ${WORKLOADS[0]!.batch} (median step), one run; PyTorch: the faster of its runs before and after the tfjs rows; tfjs/PyTorch compares unmasked steps.\n`);
  console.log(`| ${header.join(' | ')} |\n|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`);
  for (const line of lines) console.log(`| ${line.join(' | ')} |`);
}

await main();
