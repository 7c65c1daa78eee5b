/**
 * Where a training step spends its time, per kernel: every kernel of the
 * backend is wrapped in a timer, and a composed kernel's time excludes the
 * kernels it runs itself, so the shares add up to the step.
 *   npx tsx bench/profile.ts --arch resnet20 --batch 128 --steps 3 --backend wasm
 * `--cpu-profile file.cpuprofile` also records a V8 CPU profile of the timed
 * steps (open it in Chrome's DevTools), for the time spent outside kernels.
 * On WASM the lab's product runs on one thread per core; `--one-thread` keeps
 * it on this one.
 */
import '../build/node-relaxed-simd';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import '../build/node-shared-heap';
import type { ArchitectureId } from '../src/engine/models/catalog';
import { startNodeProductHelpers } from '../build/node-gemm-helpers';
import { registerTrainingKernels } from '../src/engine/kernels/registry';
import { timeSteps } from './step-time';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

interface KernelTime {
  calls: number;
  /** Milliseconds inside this kernel but outside the kernels it called. */
  self: number;
}

const times = new Map<string, KernelTime>();
/** Milliseconds spent in nested kernels, one entry per kernel currently running. */
const childTime: number[] = [];
/** Names of the kernels currently running, outermost first. */
const running: string[] = [];

/** A kernel run by a composed one is listed under both names, e.g. `Conv2DBackpropFilter › Conv2D`. */
function timed(kernelName: string, kernelFunc: KernelFunc): KernelFunc {
  return (args) => {
    const name = running.length > 0 ? `${running.at(-1)} › ${kernelName}` : kernelName;
    running.push(kernelName);
    childTime.push(0);
    const start = performance.now();
    try {
      return kernelFunc(args);
    } finally {
      const total = performance.now() - start;
      const children = childTime.pop()!;
      running.pop();
      if (childTime.length > 0) childTime[childTime.length - 1]! += total;
      const entry = times.get(name) ?? { calls: 0, self: 0 };
      entry.calls++;
      entry.self += total - children;
      times.set(name, entry);
    }
  };
}

function instrument(backend: string): void {
  for (const config of tf.getKernelsForBackend(backend) as KernelConfig[]) {
    tf.unregisterKernel(config.kernelName, backend);
    tf.registerKernel({ ...config, kernelFunc: timed(config.kernelName, config.kernelFunc) });
  }
}

const arch = argument('arch', 'resnet20') as ArchitectureId;
const batch = Number(argument('batch', '128'));
const steps = Number(argument('steps', '3'));
const backend = argument('backend', 'wasm');
const sparsity = argument('sparsity', 'none');

registerTrainingKernels();
instrument(backend);
if (!(await tf.setBackend(backend))) throw new Error(`${backend} is not available`);
// After the backend: the product works in the WASM backend's shared heap (node-shared-heap.ts).
if (!process.argv.includes('--one-thread')) await startNodeProductHelpers()?.ready();
const inputShape = arch === 'mlp' ? [784] : arch === 'lenet5' ? [28, 28, 1] : [32, 32, 3];
const workload = { name: arch, arch, inputShape, batch, steps };
const mask = sparsity === 'none' ? null : Number(sparsity);
// Kernels first run (and compile), and V8 optimises tfjs's code, in a warm-up outside the counted steps.
await timeSteps(workload, mask, 1, 1);
times.clear();
const cpuProfile = argument('cpu-profile', '');
const inspector = new Session();
if (cpuProfile) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
}
// Warmed up above: the counted call takes no warm-up of its own (`slow` skips the minimum warm-up time), so the
// kernel times are those of exactly `steps` steps.
const result = await timeSteps({ ...workload, slow: true }, mask, steps, 0);
if (cpuProfile) {
  const { profile } = await inspector.post('Profiler.stop');
  writeFileSync(cpuProfile, JSON.stringify(profile));
  inspector.disconnect();
}
const counted = steps;
const total = [...times.values()].reduce((sum, t) => sum + t.self, 0);
const rows = [...times.entries()].sort((a, b) => b[1].self - a[1].self);
console.log(`${arch} batch ${batch} on ${backend}: median ${result.msPerStep.toPrecision(3)} ms/step; kernel time per step ${(total / counted).toPrecision(3)} ms\n`);
console.log('kernel'.padEnd(48) + 'calls/step'.padStart(11) + 'ms/step'.padStart(10) + 'share'.padStart(8));
for (const [name, t] of rows.slice(0, 25)) {
  console.log(
    name.padEnd(48) + (t.calls / counted).toFixed(0).padStart(11) + (t.self / counted).toFixed(2).padStart(10) + `${((100 * t.self) / total).toFixed(1)}%`.padStart(8),
  );
}
