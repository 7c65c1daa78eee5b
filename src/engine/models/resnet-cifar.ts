import type { Network, NetworkShape } from './network';
import { buildResnet } from './resnet';
import { basicBlock, BOTTLENECK_EXPANSION, bottleneckBlock } from './resnet-blocks';

/**
 * The reference code's CIFAR ResNet (`oresnet`): depth 6n + 2, stem 3×3 conv
 * (16) → three stages of n blocks (16/32/64 wide, strides 1/2/2) → global
 * average pool → fc. BasicBlocks below depth 54, Bottlenecks (×4) from 54 on,
 * so ResNet-56 and ResNet-104 are bottleneck networks here, as in that code.
 * Projection shortcuts (option B); convs He-normal (fan-out, untruncated),
 * BN 1/0, fc PyTorch default.
 */
export function buildCifarResnet(shape: NetworkShape, depth: number, width: number, ghostSkips = false): Network {
  if ((depth - 2) % 6 !== 0) throw new Error(`CIFAR ResNet depth must be 6n + 2, not ${depth}`);
  const bottleneck = depth >= 54;
  return buildResnet(shape, {
    label: `ResNet-${depth}`,
    stemWidth: 16,
    stagePlanes: [16, 32, 64],
    blocksPerStage: (depth - 2) / 6,
    makeBlock: bottleneck ? bottleneckBlock : basicBlock,
    expansion: bottleneck ? BOTTLENECK_EXPANSION : 1,
    classifierName: 'fc',
    options: { init: 'he-normal-fan-out', shortcutName: 'downsample', ghostSkips },
    width,
  });
}
