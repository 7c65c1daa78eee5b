import type { Experiment } from '../experiment/schema';
import type { ArchitectureId } from './catalog';
import { buildLenet } from './lenet';
import { buildMlp } from './mlp';
import { buildMobilenetV2 } from './mobilenet-v2';
import type { Network, NetworkShape } from './network';
import { buildCifarResnet } from './resnet-cifar';
import { buildResnet18 } from './resnet18';
import { buildVgg16 } from './vgg';

/** Builds the network an experiment names. One entry per id of catalog.ts (the type enforces it). */
export type ArchitectureBuilder = (shape: NetworkShape, experiment: Pick<Experiment, 'hidden' | 'width'>) => Network;

export const ARCHITECTURE_BUILDERS: Record<ArchitectureId, ArchitectureBuilder> = {
  mlp: (shape, e) => buildMlp(shape, e.hidden),
  lenet5: (shape, e) => buildLenet(shape, e.width),
  resnet20: (shape, e) => buildCifarResnet(shape, 20, e.width),
  resnet32: (shape, e) => buildCifarResnet(shape, 32, e.width),
  resnet56: (shape, e) => buildCifarResnet(shape, 56, e.width),
  resnet104: (shape, e) => buildCifarResnet(shape, 104, e.width),
  resnet18: (shape, e) => buildResnet18(shape, e.width),
  vgg16: (shape, e) => buildVgg16(shape, e.width),
  mobilenetv2: (shape, e) => buildMobilenetV2(shape, e.width),
};

export function buildNetwork(shape: NetworkShape, experiment: Pick<Experiment, 'arch' | 'hidden' | 'width'>): Network {
  return ARCHITECTURE_BUILDERS[experiment.arch](shape, experiment);
}
