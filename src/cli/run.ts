/**
 * `npm run cli -- --dataset mnist --sparsity 0.95 --seeds 1,2,3`: trains the
 * paired recipes in Node, one JSON line per evaluation, status change and
 * finished LRsI (the learned scales), then a summary over seeds. Same engine,
 * same schema, same defaults as the lab.
 */
import '../../build/node-relaxed-simd';
import { appendFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '../../build/node-shared-heap';
import { startNodeProductHelpers } from '../../build/node-gemm-helpers';
import { nodeLoadContext } from '../../build/node-load-context';
import { describeIssue } from '../engine/experiment/validation';
import { registerTrainingKernels } from '../engine/kernels/registry';
import { drivePairedSession } from '../engine/train/driver';
import { RunControl } from '../engine/train/run-control';
import { PairedSession } from '../engine/train/session';
import { parseArgs, usage } from './args';
import { lrsiRecord } from './lrsi-record';
import { summarize, type SeedResult } from './summary';

async function main(): Promise<number> {
  const { decoded, options, unknown } = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(usage());
    return 0;
  }
  const problems = [...unknown.map((u) => `unknown argument ${u}`), ...decoded.issues.map(describeIssue)];
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n\nRun with --help for the flags.`);
    return 2;
  }
  registerTrainingKernels();
  if (!(await tf.setBackend(options.backend))) {
    console.error(`Backend ${options.backend} is not available in Node (use wasm or cpu).`);
    return 2;
  }
  if (options.backend === 'wasm' && options.threads !== 1) await startNodeProductHelpers(options.threads === null ? undefined : options.threads - 1)?.ready();
  const write = (record: object) => {
    const line = JSON.stringify(record);
    console.log(line);
    if (options.out) appendFileSync(options.out, `${line}\n`);
  };
  if (options.out) writeFileSync(options.out, '');
  const seeds = options.seeds ?? [decoded.experiment.seed];
  const results: SeedResult[] = [];
  for (const seed of seeds) {
    const experiment = { ...decoded.experiment, seed };
    const session = await PairedSession.create(experiment, nodeLoadContext(), {
      onMaskProgress: ({ message, round }) => {
        if (round) write({ seed, maskRound: round });
        else process.stderr.write(`\r${message}`.padEnd(60));
      },
    });
    const warnings = session.info.maskWarnings;
    if (warnings.length > 0) write({ seed, maskWarnings: warnings });
    const accuracy: SeedResult['accuracy'] = { default: null, tost: null };
    const started = performance.now();
    await drivePairedSession(session, new RunControl(), (event) => {
      if (event.type === 'eval') {
        write({ seed, recipe: event.recipe, epoch: event.epoch, testAccuracy: event.testAccuracy, validationAccuracy: event.validationAccuracy, testLoss: event.testLoss, best: event.best });
        accuracy[event.recipe] = event.best ? event.best.testAccuracy : event.testAccuracy;
      } else if (event.type === 'lrsi-done') {
        write(lrsiRecord(seed, event));
      } else if (event.type === 'status' && event.status.state !== 'training') {
        write({ seed, recipe: event.recipe, status: event.status });
        if (event.status.state === 'diverged') accuracy[event.recipe] = null;
      }
    }, { reportIntervalMs: 1000 });
    session.dispose();
    write({ seed, done: true, seconds: Math.round((performance.now() - started) / 1000), accuracy });
    results.push({ seed, accuracy });
  }
  console.log(`\nTest accuracy at the best validation epoch over seeds ${seeds.join(', ')} (backend ${options.backend}):\n${summarize(results)}`);
  return 0;
}

process.exitCode = await main();
