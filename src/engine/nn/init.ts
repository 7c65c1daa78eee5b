import type { Rng } from '../train/rng';

/**
 * PyTorch's default for nn.Linear and nn.Conv2d weights: kaiming_uniform_ with
 * a = √5, i.e. U(−b, b) with b = gain·√(3 / fan_in), gain = √(2 / (1 + a²)),
 * which simplifies to b = 1/√fan_in. Biases use the same bound.
 */
export function pytorchDefaultUniform(size: number, fanIn: number, rng: Rng): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.uniform(-bound, bound);
  return values;
}

/** He-normal with fan-out, sampled from a plain (untruncated) normal, as the reference CIFAR ResNets use. */
export function heNormalFanOut(size: number, fanOut: number, rng: Rng): Float32Array {
  const std = Math.sqrt(2 / fanOut);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = std * rng.normal();
  return values;
}
