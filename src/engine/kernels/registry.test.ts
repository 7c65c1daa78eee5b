import * as tf from '@tensorflow/tfjs';
import type { KernelFunc } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FASTER_KERNELS, isWrapped, MISSING_KERNELS, registerTrainingKernels, WRAPPED_KERNELS } from './registry';

const ALL = [...MISSING_KERNELS, ...FASTER_KERNELS];
const registeredFuncs = () => ALL.map((config) => tf.getKernel(config.kernelName, 'wasm')?.kernelFunc);

describe('registerTrainingKernels', () => {
  it('registers every training kernel for wasm, replacing the stock ones it is faster than', () => {
    const stockFaster = FASTER_KERNELS.map((config) => tf.getKernel(config.kernelName, 'wasm'));
    expect(stockFaster.every((kernel) => kernel !== undefined)).toBe(true);
    registerTrainingKernels();
    expect(registeredFuncs()).toEqual(ALL.map((config) => config.kernelFunc));
    expect(ALL.every((config) => config.backendName === 'wasm')).toBe(true);
  });

  it('changes nothing when called again', () => {
    registerTrainingKernels();
    const first = ALL.map((config) => tf.getKernel(config.kernelName, 'wasm'));
    registerTrainingKernels();
    expect(ALL.map((config) => tf.getKernel(config.kernelName, 'wasm'))).toEqual(first);
  });

  it('keeps a kernel the backend already has in place of a missing-kernel entry', () => {
    const [missing] = MISSING_KERNELS;
    if (missing === undefined) throw new Error('no missing kernels listed');
    const backendOwn: KernelFunc = () => {
      throw new Error('stand-in for a kernel a later tfjs might ship');
    };
    tf.unregisterKernel(missing.kernelName, 'wasm');
    tf.registerKernel({ kernelName: missing.kernelName, backendName: 'wasm', kernelFunc: backendOwn });
    registerTrainingKernels();
    expect(tf.getKernel(missing.kernelName, 'wasm')?.kernelFunc).toBe(backendOwn);
    tf.unregisterKernel(missing.kernelName, 'wasm');
    registerTrainingKernels();
    expect(tf.getKernel(missing.kernelName, 'wasm')?.kernelFunc).toBe(missing.kernelFunc);
  });
});

describe('registerTrainingKernels: wrapped kernels', () => {
  it('wraps each stock kernel once', () => {
    registerTrainingKernels();
    const first = WRAPPED_KERNELS.map((wrapper) => tf.getKernel(wrapper.kernelName, wrapper.backendName));
    registerTrainingKernels();
    WRAPPED_KERNELS.forEach((wrapper, i) => {
      const registered = tf.getKernel(wrapper.kernelName, wrapper.backendName);
      expect(isWrapped(registered)).toBe(true);
      expect(registered?.kernelFunc).toBe(first[i]?.kernelFunc);
    });
  });

  it.each(WRAPPED_KERNELS.map((wrapper) => [wrapper.kernelName, wrapper] as const))('%s keeps the stock setup and disposal, which bind and free the WASM functions', (_, wrapper) => {
    const stock = {
      kernelName: wrapper.kernelName,
      backendName: wrapper.backendName,
      kernelFunc: () => ({ dataId: {}, shape: [], dtype: 'float32' as const }),
      setupFunc: () => undefined,
      disposeFunc: () => undefined,
    };
    const wrapped = wrapper.wrap(stock);
    expect(wrapped.kernelFunc).not.toBe(stock.kernelFunc);
    expect({ ...wrapped, kernelFunc: stock.kernelFunc }).toEqual(stock);
  });
});
