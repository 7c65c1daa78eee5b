import type { Experiment } from '../experiment/schema';
import type { ArchitectureId } from './catalog';
import { buildLenet } from './lenet';
import { buildMlp } from './mlp';
import { buildMobilenetV2 } from './mobilenet-v2';
import type { Network, NetworkOptions, NetworkShape } from './network';
import { buildCifarResnet } from './resnet-cifar';
import { buildResnet18 } from './resnet18';
import { buildVgg16 } from './vgg';

/** Builds the network an experiment names. One entry per id of catalog.ts (the type enforces it). */
export type ArchitectureBuilder = (shape: NetworkShape, experiment: Pick<Experiment, 'hidden' | 'width'>, options: NetworkOptions) => Network;

/** LeNet-5 has no ghost skips: its two convs change size (valid 5×5, pools) with no natural place for a parallel path. */
export const ARCHITECTURE_BUILDERS: Record<ArchitectureId, ArchitectureBuilder> = {
  mlp: (shape, e, o) => buildMlp(shape, e.hidden, o.ghostSkips),
  lenet5: (shape, e) => buildLenet(shape, e.width),
  resnet20: (shape, e, o) => buildCifarResnet(shape, 20, e.width, o.ghostSkips),
  resnet32: (shape, e, o) => buildCifarResnet(shape, 32, e.width, o.ghostSkips),
  resnet56: (shape, e, o) => buildCifarResnet(shape, 56, e.width, o.ghostSkips),
  resnet104: (shape, e, o) => buildCifarResnet(shape, 104, e.width, o.ghostSkips),
  resnet18: (shape, e, o) => buildResnet18(shape, e.width, o.ghostSkips),
  vgg16: (shape, e, o) => buildVgg16(shape, e.width, o.ghostSkips),
  mobilenetv2: (shape, e, o) => buildMobilenetV2(shape, e.width, o.ghostSkips),
};

export function buildNetwork(
  shape: NetworkShape,
  experiment: Pick<Experiment, 'arch' | 'hidden' | 'width'>,
  options: NetworkOptions = { ghostSkips: false },
): Network {
  return ARCHITECTURE_BUILDERS[experiment.arch](shape, experiment, options);
}
