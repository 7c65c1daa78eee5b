import type { KernelConfig } from '@tensorflow/tfjs';

/**
 * A faster kernel that still calls the stock one for some inputs. It takes
 * over the stock config (and so its setup, which binds the WASM functions when
 * the backend starts) rather than replacing it outright.
 */
export interface KernelWrapper {
  readonly kernelName: string;
  readonly backendName: string;
  wrap(stock: KernelConfig): KernelConfig;
}
