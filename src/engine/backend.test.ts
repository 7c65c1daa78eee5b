import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseBackend, deviceError, selfCheck } from './backend';
import { registerTrainingKernels } from './kernels/registry';

registerTrainingKernels();

/** Replaces a CPU kernel for one test, to stand for a backend that computes something wrong. */
const replaced: KernelConfig[] = [];
function breakCpuKernel(kernelName: string, kernelFunc: KernelConfig['kernelFunc']): void {
  const stock = tf.getKernel(kernelName, 'cpu')!;
  replaced.push(stock);
  tf.unregisterKernel(kernelName, 'cpu');
  tf.registerKernel({ ...stock, kernelFunc });
}

afterEach(() => {
  for (const stock of replaced.splice(0)) {
    tf.unregisterKernel(stock.kernelName, 'cpu');
    tf.registerKernel(stock);
  }
});

describe('selfCheck', () => {
  it.each(['cpu', 'wasm'])('passes on %s, with the lab’s kernels', async (backend) => {
    await tf.setBackend(backend);
    expect(await selfCheck()).toBeNull();
    expect(deviceError()).toBeNull();
  });

  it('rejects a backend whose sum of many tensors is wrong (as WebGPU’s AddN was past 7 inputs)', async () => {
    await tf.setBackend('cpu');
    const stock = tf.getKernel('AddN', 'cpu')!;
    breakCpuKernel('AddN', (args) => {
      const inputs = args.inputs as unknown as tf.TensorInfo[];
      return stock.kernelFunc({ ...args, inputs: (inputs.length > 7 ? inputs.slice(0, 1) : inputs) as never });
    });
    expect(await selfCheck()).toMatch(/instead of \[6, 1, 1, 2, 2, 16, 12, 16, 24, 28, 45\]/);
  });

  it('rejects a backend whose convolution filter gradient is wrong', async () => {
    await tf.setBackend('cpu');
    const stock = tf.getKernel('Conv2DBackpropFilter', 'cpu')!;
    breakCpuKernel('Conv2DBackpropFilter', (args) => {
      const backend = args.backend as tf.KernelBackend & { makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo };
      const right = stock.kernelFunc(args) as tf.TensorInfo;
      const negated = (backend.readSync(right.dataId) as Float32Array).map((v) => -v);
      backend.disposeData(right.dataId);
      return backend.makeTensorInfo(right.shape, right.dtype, negated);
    });
    expect(await selfCheck()).toMatch(/self-check computed/);
  });

  it('makes chooseBackend fall back past a broken backend, saying why', async () => {
    const stock = tf.getKernel('AddN', 'cpu')!;
    breakCpuKernel('AddN', (args) => stock.kernelFunc({ ...args, inputs: (args.inputs as unknown as tf.TensorInfo[]).slice(0, 1) as never }));
    const choice = await chooseBackend('cpu', ['cpu', 'wasm']);
    expect(choice.backend).toBe('wasm');
    expect(choice.skipped).toEqual([{ backend: 'cpu', reason: expect.stringMatching(/self-check computed/) }]);
  });
});
