import { describe, expect, it } from 'vitest';
import { stepGflopPerImage } from './flops';
import { WORKLOADS } from './workloads';

const workload = (arch: string) => WORKLOADS.find((w) => w.arch === arch)!;

describe('product work of one training step', () => {
  it('counts an MLP step by hand: forward and weight gradients of every layer, input gradients of all but the first', async () => {
    const layers = [784 * 300, 300 * 100, 100 * 10];
    const multiplyAdds = 2 * (layers[0]! + layers[1]! + layers[2]!) + layers[1]! + layers[2]!;
    expect(await stepGflopPerImage(workload('mlp'))).toBeCloseTo((2 * multiplyAdds) / 1e9, 12);
  });

  it('counts a LeNet-5 step by hand (28×28 padded by 2, 5×5 convolutions, 2×2 pools)', async () => {
    const conv1 = 28 * 28 * 6 * 25 * 1;
    const conv2 = 10 * 10 * 16 * 25 * 6;
    const dense = [400 * 120, 120 * 84, 84 * 10];
    const forward = conv1 + conv2 + dense.reduce((a, b) => a + b, 0);
    const multiplyAdds = 2 * forward + (forward - conv1);
    expect(await stepGflopPerImage(workload('lenet5'))).toBeCloseTo((2 * multiplyAdds) / 1e9, 12);
  });
});
