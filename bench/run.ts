/**
 * `npm run bench`: training-step speed per architecture and backend in Node,
 * masked (90% random sparsity) vs unmasked, as ratios measured in one run.
 * Numbers vary with the machine's load; compare ratios within a run.
 *   npm run bench -- --steps 10 --only mlp,lenet5 --backends cpu,wasm
 */
import * as tf from '@tensorflow/tfjs';
import { registerTrainingKernels } from '../src/engine/kernels/registry';
import { timeSteps, type Workload } from './step-time';

const WORKLOADS: readonly Workload[] = [
  { name: 'MLP 784-300-100-10', arch: 'mlp', inputShape: [784], hidden: [300, 100], batch: 128 },
  { name: 'LeNet-5 28×28', arch: 'lenet5', inputShape: [28, 28, 1], batch: 128 },
  { name: 'ResNet-20 32×32 (batch 16)', arch: 'resnet20', inputShape: [32, 32, 3], batch: 16 },
  { name: 'ResNet-18 ×¼ width 32×32 (batch 8)', arch: 'resnet18', inputShape: [32, 32, 3], width: 0.25, batch: 8 },
];

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  registerTrainingKernels();
  const steps = Number(argument('steps') ?? 5);
  const only = argument('only')?.split(',');
  const backends = (argument('backends') ?? 'cpu,wasm').split(',');
  const rows: string[][] = [['backend', 'workload', 'unmasked ms/step', 'masked ms/step', 'masked/unmasked', 'images/s (masked)']];
  for (const backend of backends) {
    if (!(await tf.setBackend(backend))) {
      console.log(`${backend}: not available here`);
      continue;
    }
    for (const workload of WORKLOADS) {
      if (only && !only.includes(workload.arch)) continue;
      try {
        const dense = await timeSteps(workload, null, steps);
        const masked = await timeSteps(workload, 0.9, steps);
        rows.push([backend, workload.name, dense.msPerStep.toFixed(1), masked.msPerStep.toFixed(1), (masked.msPerStep / dense.msPerStep).toFixed(3), masked.imagesPerSecond.toFixed(0)]);
      } catch (error) {
        rows.push([backend, workload.name, '—', '—', '—', `fails: ${error instanceof Error ? error.message.slice(0, 60) : String(error)}`]);
      }
      console.log(rows.at(-1)!.join(' | '));
    }
  }
  console.log('\n| ' + rows[0]!.join(' | ') + ' |\n|' + rows[0]!.map(() => '---').join('|') + '|');
  for (const row of rows.slice(1)) console.log('| ' + row.join(' | ') + ' |');
}

await main();
