import type { Network, NetworkShape } from './network';
import { buildResnet } from './resnet';
import { basicBlock } from './resnet-blocks';

/**
 * The reference code's ResNet-18 for CIFAR: 3×3 stem (64, stride 1, no
 * max-pool) → [2, 2, 2, 2] BasicBlocks 64/128/256/512 wide, strides 1/2/2/2 →
 * average pool → linear. PyTorch default initialisation throughout. The
 * reference pools 4×4 (global at 32×32 input); global pooling keeps larger
 * inputs (TinyImageNet) working with the same classifier.
 */
export function buildResnet18(shape: NetworkShape, width: number, ghostSkips = false): Network {
  return buildResnet(shape, {
    label: 'ResNet-18',
    stemWidth: 64,
    stagePlanes: [64, 128, 256, 512],
    blocksPerStage: 2,
    makeBlock: basicBlock,
    expansion: 1,
    classifierName: 'linear',
    options: { init: 'pytorch-default', shortcutName: 'shortcut', ghostSkips },
    width,
  });
}
