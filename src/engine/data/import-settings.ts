/**
 * What to keep of a large imported dataset (TinyImageNet). Pure constants and
 * arithmetic, so the page's import form can use them without pulling parsers
 * into its bundle.
 */
export interface ImportSettings {
  /** 2 halves each side (64×64 → 32×32, a quarter of the storage); 1 keeps the published size. */
  readonly downsample?: 1 | 2;
  /** Training images kept per class (the first by file number); omitted or null for all 500. */
  readonly trainPerClass?: number | null;
}

/** TinyImageNet's published size: 200 classes of 64×64 RGB, 500 training and 50 validation images each. */
export const TINY_IMAGENET = { classes: 200, side: 64, trainPerClass: 500, testPerClass: 50 } as const;

/** The storage-conscious default: CIFAR's size (50,000 training images of 32×32, 10,000 test), about 185 MB. */
export const TINY_IMAGENET_DEFAULTS = { downsample: 2, trainPerClass: 250 } as const satisfies ImportSettings;

/** Images and bytes an import with these settings keeps (pixels plus 4-byte labels), for the form to show before importing. */
export function tinyImageNetFootprint(settings: ImportSettings): { trainCount: number; testCount: number; bytes: number } {
  const side = TINY_IMAGENET.side / (settings.downsample ?? 1);
  const perClass = Math.min(settings.trainPerClass ?? TINY_IMAGENET.trainPerClass, TINY_IMAGENET.trainPerClass);
  const trainCount = TINY_IMAGENET.classes * perClass;
  const testCount = TINY_IMAGENET.classes * TINY_IMAGENET.testPerClass;
  return { trainCount, testCount, bytes: (trainCount + testCount) * (side * side * 3 + 4) };
}
