import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { GemmShape } from './gemm';
import type { StepTiming } from './step-time';
import { minimumWarmUpMs, type Workload } from './workloads';

/** What the PyTorch process reports about itself before timing anything. */
export interface PytorchSetup {
  readonly torch: string;
  /** BLAS as PyTorch was built (Debian's says "generic": whatever libblas.so.3 resolves to). */
  readonly blasInfo: string;
  /** The BLAS libraries actually loaded (resolved symlinks). */
  readonly blasLibraries: readonly string[];
}

const SCRIPT = fileURLToPath(new URL('./pytorch_bench.py', import.meta.url));
export const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

export const INSTALL_HINT =
  'PyTorch is not importable by ' +
  PYTHON +
  '; to compare, install it (Debian: sudo apt-get install -y python3-torch libopenblas0-pthread) or set PYTHON to an interpreter that has it.';

export function torchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

/**
 * The PyTorch reference (bench/pytorch_bench.py) as a child process that
 * times one workload per request on the CPU with the intra-op threads asked
 * for, OpenBLAS held to one thread of its own so the two pools do not
 * oversubscribe.
 */
export class PytorchBench {
  private readonly answers: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly setup: PytorchSetup,
    answers: AsyncIterator<string>,
  ) {
    this.answers = answers;
  }

  static async start(): Promise<PytorchBench> {
    const child = spawn(PYTHON, [SCRIPT], { env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await answers.next();
    if (first.done) throw new Error(`PyTorch bench exited before reporting: ${stderr.trim()}`);
    const { type, ...setup } = JSON.parse(first.value) as PytorchSetup & { type: string };
    if (type !== 'setup') throw new Error(`PyTorch bench: unexpected first line ${first.value}`);
    return new PytorchBench(child, setup, answers);
  }

  async time(workload: Workload, steps: number, warmup: number, threads: number): Promise<StepTiming> {
    const warmupSeconds = minimumWarmUpMs(workload) / 1000;
    this.child.stdin.write(`${JSON.stringify({ name: workload.name, arch: workload.arch, hidden: workload.hidden, batch: workload.batch, warmup, warmupSeconds, steps, threads })}\n`);
    const answer = await this.answers.next();
    if (answer.done) throw new Error('PyTorch bench exited');
    const result = JSON.parse(answer.value) as ({ type: 'workload' } & StepTiming) | { type: 'error'; message: string };
    if (result.type === 'error') throw new Error(result.message);
    return { msPerStep: result.msPerStep, imagesPerSecond: result.imagesPerSecond };
  }

  /** GFLOP/s of one matrix product (see bench/gemm.ts). */
  async gemm(shape: GemmShape, threads: number): Promise<number> {
    this.child.stdin.write(`${JSON.stringify({ kind: 'gemm', m: shape.m, k: shape.k, n: shape.n, threads })}\n`);
    const answer = await this.answers.next();
    if (answer.done) throw new Error('PyTorch bench exited');
    const result = JSON.parse(answer.value) as { type: 'gemm'; gflops: number } | { type: 'error'; message: string };
    if (result.type === 'error') throw new Error(result.message);
    return result.gflops;
  }

  close(): void {
    this.child.stdin.end();
  }
}
