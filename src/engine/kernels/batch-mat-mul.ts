import * as tf from '@tensorflow/tfjs';
import type { BatchMatMulAttrs, BatchMatMulInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wasmMemory } from './host-memory';
import type { KernelWrapper } from './kernel-wrapper';
import { tensorOf } from './tensor-of';
import { relaxedGemm, relaxedGemmPolicy, type Gemm } from './wasm-gemm/relaxed-gemm';

const batchSize = (shape: readonly number[]) => shape.slice(0, -2).reduce((a, b) => a * b, 1);

/** Swaps the last two axes. */
function transposeMatrices(t: tf.Tensor): tf.Tensor {
  const axes = t.shape.map((_, i) => i);
  axes.splice(-2, 2, t.rank - 1, t.rank - 2);
  return tf.transpose(t, axes);
}

/**
 * The WASM backend multiplies on XNNPACK only one pair of matrices without
 * transpose flags; with a flag it runs a scalar triple loop, several times
 * slower. Every linear layer sets one (its weight is [out, in], as in PyTorch),
 * and so does its weight gradient. Where the engine has relaxed SIMD, the
 * lab's own product (wasm-gemm/, about twice XNNPACK's rate) reads flagged
 * operands transposed as it packs them; elsewhere the flagged operand is
 * transposed first, which costs one copy and keeps the product on XNNPACK.
 * Batched products stay with the stock kernel.
 */
export function wrapBatchMatMul(stock: KernelConfig, gemm: () => Gemm | null): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as BatchMatMulInputs;
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const aShape = (a as TensorInfo).shape;
    const bShape = (b as TensorInfo).shape;
    const single = batchSize(aShape) === 1 && batchSize(bShape) === 1;
    if (!single) return stock.kernelFunc(args);
    const [m, k] = transposeA ? [aShape.at(-1)!, aShape.at(-2)!] : [aShape.at(-2)!, aShape.at(-1)!];
    const n = transposeB ? bShape.at(-2)! : bShape.at(-1)!;
    const float = (a as TensorInfo).dtype === 'float32' && (b as TensorInfo).dtype === 'float32';
    const product = m * k * n >= relaxedGemmPolicy.minWork && float ? gemm() : null;
    if (product === null && !transposeA && !transposeB) return stock.kernelFunc(args);
    const operands = () => {
      const left = tensorOf(a as TensorInfo, args.backend);
      const right = tensorOf(b as TensorInfo, args.backend);
      return [transposeA ? transposeMatrices(left) : left, transposeB ? transposeMatrices(right) : right] as const;
    };
    if (product === null) return tf.tidy(() => tf.matMul(...operands()));
    const memory = wasmMemory(args.backend);
    const rank = Math.max(aShape.length, bShape.length);
    const output = memory.allocate([...new Array<number>(rank - 2).fill(1), m, n]);
    // Views after the last allocation: the heap may have moved.
    product.multiply(memory.view(a as TensorInfo), memory.view(b as TensorInfo), m, k, n, memory.view(output), { a: transposeA, b: transposeB });
    return output;
  };
  return { ...stock, kernelFunc };
}

export const batchMatMulWrapper: KernelWrapper = { kernelName: tf.BatchMatMul, backendName: 'wasm', wrap: (stock) => wrapBatchMatMul(stock, relaxedGemm) };
