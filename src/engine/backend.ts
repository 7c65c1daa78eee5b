import * as tf from '@tensorflow/tfjs';

/**
 * Picks the fastest backend that works here: WebGPU, then WebGL, then WASM,
 * then CPU. A backend wins only if it initialises and passes a self-check
 * (a matmul and a gradient against values known exactly), because a backend
 * can initialise and still compute garbage (e.g. a broken GPU driver).
 */
import { BACKEND_ORDER, type BackendName } from './backend-names';

export { BACKEND_ORDER, isBackendName, type BackendName } from './backend-names';

export interface BackendChoice {
  readonly backend: BackendName;
  /** Why each earlier backend was not used, in order of trial. */
  readonly skipped: readonly { backend: BackendName; reason: string }[];
  /** The requested backend, when the user forced one. */
  readonly forced: BackendName | null;
}

/** y = relu(x·w) and d(sum y)/dw for small integers: exact in float32 on every backend. */
export async function selfCheck(): Promise<string | null> {
  const result = tf.tidy(() => {
    const x = tf.tensor2d([[1, 2], [3, -4]]);
    const w = tf.tensor2d([[1, -1], [2, 1]]);
    const f = (weights: tf.Tensor) => tf.sum(tf.relu(tf.matMul(x, weights as tf.Tensor2D)));
    const { value, grad } = tf.valueAndGrad(f)(w);
    return tf.concat([value.reshape([1]), grad.reshape([4])]);
  });
  const values = Array.from(await result.data());
  result.dispose();
  // x·w = [[5, 1], [-5, -7]] → relu sum 6; grad = xᵀ·[[1, 1], [0, 0]] = [[1, 1], [2, 2]].
  const expected = [6, 1, 1, 2, 2];
  const ok = values.length === expected.length && values.every((v, i) => Math.abs(v - expected[i]!) < 1e-4);
  return ok ? null : `self-check computed [${values.map((v) => v.toFixed(3)).join(', ')}] instead of [${expected.join(', ')}]`;
}

/** A plain-language reason when WebGPU cannot work here, before asking tfjs. */
async function webgpuProblem(): Promise<string | null> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return 'this browser exposes no WebGPU';
  try {
    return (await gpu.requestAdapter()) ? null : 'no WebGPU adapter (no usable GPU)';
  } catch (error) {
    return `WebGPU adapter request failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function tryBackend(name: BackendName): Promise<string | null> {
  if (!tf.findBackendFactory(name)) return 'not available in this build';
  if (name === 'webgpu') {
    const problem = await webgpuProblem();
    if (problem) return problem;
  }
  try {
    const ready = await tf.setBackend(name);
    if (!ready) return 'failed to initialise';
    await tf.ready();
    return await selfCheck();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Tries `forced` first when given, then the usual order; returns the first backend that passes. */
export async function chooseBackend(forced: BackendName | null = null, order: readonly BackendName[] = BACKEND_ORDER): Promise<BackendChoice> {
  const candidates = forced ? [forced, ...order.filter((b) => b !== forced)] : [...order];
  const skipped: { backend: BackendName; reason: string }[] = [];
  for (const backend of candidates) {
    const problem = await tryBackend(backend);
    if (problem === null) return { backend, skipped, forced };
    skipped.push({ backend, reason: problem });
  }
  throw new Error(`No TensorFlow.js backend works here: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}
