/**
 * Architectures a user can pick (ids, labels and what input they need; see
 * registry.ts for the builders). `image` architectures need [H, W, C] data.
 */
export const ARCHITECTURES = [
  { id: 'mlp', label: 'MLP (fully connected)', input: 'any' },
  { id: 'lenet5', label: 'LeNet-5', input: 'image' },
  { id: 'resnet20', label: 'ResNet-20 (CIFAR)', input: 'image' },
  { id: 'resnet32', label: 'ResNet-32 (CIFAR)', input: 'image' },
  { id: 'resnet56', label: 'ResNet-56 (CIFAR, bottleneck)', input: 'image' },
  { id: 'resnet104', label: 'ResNet-104 (CIFAR, bottleneck)', input: 'image' },
  { id: 'resnet18', label: 'ResNet-18 (CIFAR variant)', input: 'image' },
  { id: 'vgg16', label: 'VGG16-BN (CIFAR)', input: 'image' },
  { id: 'mobilenetv2', label: 'MobileNetV2 (CIFAR variant)', input: 'image' },
] as const;

export type ArchitectureId = (typeof ARCHITECTURES)[number]['id'];

export function architectureNeedsImages(id: ArchitectureId): boolean {
  return ARCHITECTURES.find((a) => a.id === id)?.input === 'image';
}
