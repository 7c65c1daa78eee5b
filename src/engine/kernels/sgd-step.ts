import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wasmMemory } from './host-memory';
import { channelFunctionsOnHeap, heapAddress } from './tfjs-heap';
import { SGD_FLAGS } from './wasm-channels/channel-module';

/**
 * One masked SGD step as a single pass: tfjs composes it from up to seven
 * elementwise ops (train/sgd.ts), each a pass over the weights and a new
 * tensor. On WASM the channel module runs it in one SIMD loop on tfjs's heap
 * and rounds every product and sum to float32 as those ops do, so the result
 * is bit for bit the composition's. The mask then costs one more stream read
 * instead of an op of its own. The same pass sums |w'|, which the training
 * step reads to check that every weight is finite: tfjs would take an Abs and
 * a Sum, two more passes, for it.
 */
export const SGD_STEP = 'LabSgdStep';

export interface SgdStepAttrs {
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
}

const f32 = Math.fround;

const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const { weight, gradient, buffer, mask } = inputs as { weight: TensorInfo; gradient: TensorInfo; buffer?: TensorInfo; mask?: TensorInfo };
  const { lr, momentum, weightDecay } = attrs as unknown as SgdStepAttrs;
  const functions = channelFunctionsOnHeap(backend)!;
  const memory = wasmMemory(backend);
  const nextWeight = memory.allocate(weight.shape);
  const weightMass = memory.allocate([]);
  const nextBuffer = buffer === undefined ? null : memory.allocate(weight.shape);
  // Views after the last allocation: the heap may have grown.
  const [w, g, outW] = [weight, gradient, nextWeight].map((info) => memory.view(info)) as [Float32Array, Float32Array, Float32Array];
  const b = buffer === undefined ? null : memory.view(buffer);
  const m = mask === undefined ? null : memory.view(mask);
  const outB = nextBuffer === null ? null : memory.view(nextBuffer);
  const flags = (weightDecay > 0 ? SGD_FLAGS.decay : 0) | (m !== null ? SGD_FLAGS.mask : 0) | (b !== null ? SGD_FLAGS.buffer : 0);
  const vectors = Math.floor(w.length / 4);
  // Absent operands are never read; any address will do.
  const at = (view: Float32Array | null) => (view === null ? heapAddress(w) : heapAddress(view));
  let mass = functions.sgdStep(heapAddress(w), heapAddress(g), at(b), at(m), vectors, lr, momentum, weightDecay, flags, heapAddress(outW), at(outB));
  const [rate, mu, decay] = [f32(lr), f32(momentum), f32(weightDecay)];
  for (let i = 4 * vectors; i < w.length; i++) {
    let d = g[i]!;
    if (flags & SGD_FLAGS.decay) d = f32(d + f32(w[i]! * decay));
    if (m !== null) d = f32(d * m[i]!);
    if (b !== null) {
      d = f32(f32(b[i]! * mu) + d);
      outB![i] = d;
    }
    outW[i] = f32(w[i]! - f32(d * rate));
    mass = f32(mass + Math.abs(outW[i]!));
  }
  memory.view(weightMass)[0] = mass;
  return nextBuffer === null ? [nextWeight, weightMass] : [nextWeight, weightMass, nextBuffer];
};

export const sgdStepConfig: KernelConfig = { kernelName: SGD_STEP, backendName: 'wasm', kernelFunc };

/** Whether sgdStep can run on the fused kernel now: WASM with it registered, every operand float32. */
export function sgdStepReady(...operands: (tf.Tensor | null)[]): boolean {
  return (
    tf.getBackend() === 'wasm' &&
    operands.every((t) => t === null || t.dtype === 'float32') &&
    tf.getKernel(SGD_STEP, 'wasm') !== undefined &&
    channelFunctionsOnHeap(tf.backend()) !== null
  );
}

/** [w', Σ|w'| (a scalar), b' (only with a buffer)] on the fused kernel. */
export function sgdStep(weight: tf.Tensor, gradient: tf.Tensor, buffer: tf.Tensor | null, mask: tf.Tensor | null, attrs: SgdStepAttrs): tf.Tensor[] {
  const inputs: Record<string, tf.Tensor> = { weight, gradient };
  if (buffer !== null) inputs.buffer = buffer;
  if (mask !== null) inputs.mask = mask;
  return tf.engine().runKernel(SGD_STEP, inputs, { ...attrs }) as unknown as tf.Tensor[];
}
