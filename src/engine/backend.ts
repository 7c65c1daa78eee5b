import * as tf from '@tensorflow/tfjs';

/**
 * Picks the fastest backend that works here: WebGPU, then WebGL, then WASM,
 * then CPU. A backend wins only if it initialises and passes a self-check
 * (small kernels and gradients against values known exactly), because a
 * backend can initialise and still compute garbage (e.g. a broken GPU driver).
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

/**
 * What a WebGPU device reports on its own: a command it refused (the work
 * then reads back as zeros, with no exception) or the loss of the device.
 * The first report since the backend started, kept so the caller can refuse
 * the numbers computed after it.
 */
interface ReportingDevice {
  addEventListener(type: 'uncapturederror', listener: (event: { error: { message: string } }) => void): void;
  readonly lost: Promise<{ reason: string; message: string }>;
}

/** Per device: null while it has reported nothing, else its first report. */
const deviceReports = new WeakMap<ReportingDevice, string | null>();

const currentDevice = () => (tf.backend() as { device?: ReportingDevice }).device;

/** Starts listening to the current backend's device (WebGPU only; once per device). */
function watchDevice(): void {
  const device = currentDevice();
  if (!device || deviceReports.has(device)) return;
  deviceReports.set(device, null);
  const report = (message: string) => {
    if (deviceReports.get(device) === null) deviceReports.set(device, message.trim().split('\n')[0]!);
  };
  device.addEventListener('uncapturederror', (event) => report(event.error.message));
  void device.lost.then((info) => report(`the device was lost (${info.reason}): ${info.message}`));
}

/** The first error the current backend's GPU device reported on its own, or null: numbers computed since then are not to be trusted. */
export function deviceError(): string | null {
  const device = currentDevice();
  return device ? (deviceReports.get(device) ?? null) : null;
}

/**
 * A few kernels on small integers, exact in float32 on every backend:
 * y = relu(x·w) with d(Σy)/dw, a 2×2 convolution with its filter gradient
 * (a GPU can multiply matrices right and still get convolutions wrong), and
 * a sum of nine tensors (more inputs than a WebGPU shader may bind by default).
 */
export async function selfCheck(): Promise<string | null> {
  watchDevice();
  const result = tf.tidy(() => {
    const x = tf.tensor2d([[1, 2], [3, -4]]);
    const w = tf.tensor2d([[1, -1], [2, 1]]);
    const dense = tf.valueAndGrad((weights: tf.Tensor) => tf.sum(tf.relu(tf.matMul(x, weights as tf.Tensor2D))))(w);
    const image = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const filter = tf.tensor4d([-1, 0, 0, 1], [2, 2, 1, 1]);
    const conv = tf.valueAndGrad((f: tf.Tensor) => tf.sum(tf.relu(tf.conv2d(image, f as tf.Tensor4D, 1, 'valid'))))(filter);
    const nine = tf.addN(Array.from({ length: 9 }, (_, i) => tf.scalar(i + 1)));
    return tf.concat([dense.value.reshape([1]), dense.grad.reshape([4]), conv.value.reshape([1]), conv.grad.reshape([4]), nine.reshape([1])]);
  });
  const values = Array.from(await result.data());
  result.dispose();
  // x·w = [[5, 1], [-5, -7]] → relu sum 6; grad = xᵀ·[[1, 1], [0, 0]] = [[1, 1], [2, 2]].
  // Each 2×2 window gives x[i+1][j+1] − x[i][j] = 4 → sum 16; the filter gradient sums each tap's four pixels.
  const expected = [6, 1, 1, 2, 2, 16, 12, 16, 24, 28, 45];
  const ok = values.length === expected.length && values.every((v, i) => Math.abs(v - expected[i]!) < 1e-4);
  const fault = deviceError();
  if (fault) return `the device reported an error: ${fault}`;
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
