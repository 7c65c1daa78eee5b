/**
 * Time per call of the stock tfjs convolution kernels against the composed
 * ones in src/engine/kernels, on the WASM and CPU backends, for layer shapes
 * the lab trains at batch 128. Run: npx tsx bench/kernels.ts
 *
 * Kernel functions are called directly (not through the registry) so stock
 * and composed versions can be timed side by side in one process.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { conv2dBackpropFilterConfig } from '../src/engine/kernels/conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from '../src/engine/kernels/conv2d-backprop-input';
import { depthwiseConv2dBackpropFilterConfig } from '../src/engine/kernels/depthwise-conv2d-backprop-filter';
import { depthwiseConv2dBackpropInputConfig } from '../src/engine/kernels/depthwise-conv2d-backprop-input';
import { Rng } from '../src/engine/train/rng';

type Shape4D = [number, number, number, number];
type Padding = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];

interface Layer {
  readonly name: string;
  readonly input: Shape4D;
  readonly filter: Shape4D;
  readonly stride: number;
  readonly pad: Padding;
  readonly depthwise: boolean;
}

const BATCH = 128;
const LAYERS: readonly Layer[] = [
  { name: 'LeNet conv2 5×5 6→16', input: [BATCH, 12, 12, 6], filter: [5, 5, 6, 16], stride: 1, pad: 'valid', depthwise: false },
  { name: 'ResNet-20 3×3 16→16', input: [BATCH, 32, 32, 16], filter: [3, 3, 16, 16], stride: 1, pad: 'same', depthwise: false },
  { name: 'ResNet-20 3×3 16→32 /2', input: [BATCH, 32, 32, 16], filter: [3, 3, 16, 32], stride: 2, pad: 'same', depthwise: false },
  {
    name: 'MobileNetV2 dw 3×3 ×96 /2',
    input: [BATCH, 16, 16, 96],
    filter: [3, 3, 96, 1],
    stride: 2,
    pad: [[0, 0], [1, 1], [1, 1], [0, 0]],
    depthwise: true,
  },
];

type Step = 'forward' | 'backprop input' | 'backprop filter';

interface Operation {
  readonly kernelName: string;
  readonly composed: KernelConfig | null;
  readonly inputs: Record<string, tf.Tensor>;
  readonly attrs: NamedAttrMap;
}

function operations(layer: Layer, x: tf.Tensor4D, filter: tf.Tensor4D, dy: tf.Tensor4D): Record<Step, Operation> {
  const common = { strides: layer.stride, pad: layer.pad };
  if (layer.depthwise) {
    const attrs = { ...common, dilations: 1, dataFormat: 'NHWC' };
    return {
      forward: { kernelName: tf.DepthwiseConv2dNative, composed: null, inputs: { x, filter }, attrs },
      'backprop input': {
        kernelName: tf.DepthwiseConv2dNativeBackpropInput,
        composed: depthwiseConv2dBackpropInputConfig,
        inputs: { dy, filter },
        attrs: { ...attrs, inputShape: layer.input },
      },
      'backprop filter': {
        kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
        composed: depthwiseConv2dBackpropFilterConfig,
        inputs: { x, dy },
        attrs: { ...attrs, filterShape: layer.filter },
      },
    };
  }
  const attrs = { ...common, dilations: 1, dataFormat: 'NHWC' };
  return {
    forward: { kernelName: tf.Conv2D, composed: null, inputs: { x, filter }, attrs },
    'backprop input': {
      kernelName: tf.Conv2DBackpropInput,
      composed: conv2dBackpropInputConfig,
      inputs: { dy, filter },
      attrs: { ...attrs, inputShape: layer.input },
    },
    'backprop filter': {
      kernelName: tf.Conv2DBackpropFilter,
      composed: conv2dBackpropFilterConfig,
      inputs: { x, dy },
      attrs: { ...attrs, filterShape: layer.filter },
    },
  };
}

/** Stock kernels hand back bare TensorInfos, composed ones Tensors; both must be freed. */
function release(output: TensorInfo | TensorInfo[]): void {
  for (const info of Array.isArray(output) ? output : [output]) {
    if (info instanceof tf.Tensor) info.dispose();
    else tf.backend().disposeData(info.dataId);
  }
}

interface Timing {
  /** Median milliseconds per call. */
  readonly milliseconds: number;
  readonly output: Float32Array;
}

/**
 * One warm-up call, whose output is kept for the accuracy comparison, then
 * the median of at least 3 calls, more while under ~1.5 s. Kernels slower
 * than a second per call (the stock CPU ones) get one timed call after the
 * warm-up, or none beyond 5 s, where warming up no longer matters.
 */
function time(kernelFunc: KernelFunc, operation: Operation): Timing {
  const run = () => kernelFunc({ inputs: operation.inputs, attrs: operation.attrs, backend: tf.backend() });
  const timed = () => {
    const start = performance.now();
    release(run());
    return performance.now() - start;
  };
  const start = performance.now();
  const first = run();
  const firstTime = performance.now() - start;
  const info = Array.isArray(first) ? first[0]! : first;
  const output = new Float32Array(tf.backend().readSync(info.dataId) as Float32Array);
  release(first);
  if (firstTime > 5000) return { milliseconds: firstTime, output };
  if (firstTime > 1000) return { milliseconds: timed(), output };
  const times: number[] = [];
  let spent = 0;
  while (times.length < 3 || (spent < 1500 && times.length < 20)) {
    const time = timed();
    times.push(time);
    spent += time;
  }
  times.sort((a, b) => a - b);
  return { milliseconds: times[Math.floor(times.length / 2)]!, output };
}

/** Largest |a − b| over the largest |b|. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return worst / scale;
}

function randomValues(shape: Shape4D, rng: Rng): Float32Array {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-1, 1);
  return values;
}

interface Row {
  readonly layer: string;
  readonly step: Step;
  readonly backend: string;
  readonly stock: Timing | null;
  readonly composed: Timing | null;
}

async function measure(backend: 'wasm' | 'cpu'): Promise<Row[]> {
  await tf.setBackend(backend);
  const rows: Row[] = [];
  for (const layer of LAYERS) {
    const info = tf.backend_util.computeConv2DInfo(layer.input, layer.filter, layer.stride, 1, layer.pad, undefined, layer.depthwise);
    const outputShape = info.outShape as Shape4D;
    // The same seed on both backends: their outputs are compared.
    const rng = new Rng(20_240_601);
    const x = tf.tensor4d(randomValues(layer.input, rng), layer.input);
    const filter = tf.tensor4d(randomValues(layer.filter, rng), layer.filter);
    const dy = tf.tensor4d(randomValues(outputShape, rng), outputShape);
    const before = tf.memory().numTensors;
    for (const [step, operation] of Object.entries(operations(layer, x, filter, dy)) as [Step, Operation][]) {
      const stock = tf.getKernel(operation.kernelName, backend);
      rows.push({
        layer: layer.name,
        step,
        backend,
        stock: stock ? time(stock.kernelFunc, operation) : null,
        composed: operation.composed ? time(operation.composed.kernelFunc, operation) : null,
      });
      process.stdout.write('.');
    }
    if (tf.memory().numTensors !== before) throw new Error(`${layer.name} on ${backend} leaked tensors`);
    tf.dispose([x, filter, dy]);
  }
  return rows;
}

const milliseconds = (timing: Timing | null) => {
  if (timing === null) return '—';
  const ms = timing.milliseconds;
  return ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(1) : ms.toFixed(0);
};
const ratio = (slow: Timing | null, fast: Timing | null) =>
  slow === null || fast === null ? '—' : `${(slow.milliseconds / fast.milliseconds).toFixed(1)}×`;
const error = (timing: Timing | null, reference: Timing | null) =>
  timing === null || reference === null ? '—' : relativeError(timing.output, reference.output).toExponential(0);

const rows = [...(await measure('wasm')), ...(await measure('cpu'))];
process.stdout.write('\n');
const find = (layer: string, step: Step, backend: string) =>
  rows.find((r) => r.layer === layer && r.step === step && r.backend === backend)!;

const header = [
  'layer',
  'step',
  'wasm stock',
  'wasm composed',
  'speed-up',
  'cpu stock',
  'cpu composed',
  'speed-up',
  'wasm vs cpu stock',
  'err stock',
  'err composed',
];
const table = LAYERS.flatMap((layer) =>
  (['forward', 'backprop input', 'backprop filter'] as const).map((step) => {
    const wasm = find(layer.name, step, 'wasm');
    const cpu = find(layer.name, step, 'cpu');
    const wasmBest = [wasm.stock, wasm.composed]
      .filter((t): t is Timing => t !== null)
      .reduce((a, b) => (a.milliseconds <= b.milliseconds ? a : b));
    return [
      layer.name,
      step,
      milliseconds(wasm.stock),
      milliseconds(wasm.composed),
      ratio(wasm.stock, wasm.composed),
      milliseconds(cpu.stock),
      milliseconds(cpu.composed),
      ratio(cpu.stock, cpu.composed),
      ratio(cpu.stock, wasmBest),
      error(wasm.stock, cpu.stock),
      error(wasm.composed, cpu.stock),
    ];
  }),
);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) =>
  cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
console.log(`\nMilliseconds per call at batch ${BATCH} (median), tfjs ${tf.version_core}.`);
console.log('speed-up = stock / composed on the same backend; wasm vs cpu stock = cpu stock / fastest wasm kernel;');
console.log('err = max |wasm − cpu stock| / max |cpu stock|; "—" = no such kernel.\n');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
