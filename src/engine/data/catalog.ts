/**
 * The datasets a user can pick, without their loaders: the schema and the UI
 * import this list, and must not pull tfjs or data into the main bundle.
 * `registry.ts` maps each id to its loader and is checked against this list.
 */
export const DATASETS = [
  { id: 'spirals', label: 'Spirals (3 arms)', classes: 3, kind: 'synthetic-2d', inputShape: [2] },
  { id: 'moons', label: 'Two moons', classes: 2, kind: 'synthetic-2d', inputShape: [2] },
  { id: 'circles', label: 'Circles', classes: 2, kind: 'synthetic-2d', inputShape: [2] },
  { id: 'xor', label: 'XOR', classes: 2, kind: 'synthetic-2d', inputShape: [2] },
  { id: 'mnist', label: 'MNIST digits (shipped)', classes: 10, kind: 'bundled-image', inputShape: [28, 28, 1] },
  { id: 'fashion-mnist', label: 'Fashion-MNIST (shipped)', classes: 10, kind: 'bundled-image', inputShape: [28, 28, 1] },
  { id: 'cifar10', label: 'CIFAR-10 (import)', classes: 10, kind: 'imported-image', inputShape: [32, 32, 3] },
  { id: 'cifar100', label: 'CIFAR-100 (import)', classes: 100, kind: 'imported-image', inputShape: [32, 32, 3] },
  // The published 64×64; an import downsampled 2× trains at 32×32 (the session builds the network from the data).
  { id: 'tiny-imagenet', label: 'TinyImageNet (import)', classes: 200, kind: 'imported-image', inputShape: [64, 64, 3] },
] as const;

export type DatasetId = (typeof DATASETS)[number]['id'];
export type DatasetKind = (typeof DATASETS)[number]['kind'];

export function datasetKind(id: DatasetId): DatasetKind {
  return DATASETS.find((d) => d.id === id)!.kind;
}

export function datasetShape(id: DatasetId): { inputShape: readonly number[]; numClasses: number } {
  const entry = DATASETS.find((d) => d.id === id)!;
  return { inputShape: entry.inputShape, numClasses: entry.classes };
}
