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

/** Images and bytes an import with these settings keeps (pixels plus 4-byte labels), for the form to show before importing. */
export function tinyImageNetFootprint(settings: ImportSettings): { trainCount: number; testCount: number; bytes: number } {
  const side = TINY_IMAGENET.side / (settings.downsample ?? 1);
  const perClass = Math.min(settings.trainPerClass ?? TINY_IMAGENET.trainPerClass, TINY_IMAGENET.trainPerClass);
  const trainCount = TINY_IMAGENET.classes * perClass;
  const testCount = TINY_IMAGENET.classes * TINY_IMAGENET.testPerClass;
  return { trainCount, testCount, bytes: (trainCount + testCount) * (side * side * 3 + 4) };
}

/** The TinyImageNet fields of an experiment (schema.ts), as the import reads them. */
export interface TinyImageNetFields {
  readonly tinySize: '32' | '64';
  readonly tinyPerClass: '100' | '250' | '500';
}

/** What an experiment asks the TinyImageNet import to keep. */
export function tinyImageNetSettings(fields: TinyImageNetFields): ImportSettings {
  const perClass = Number(fields.tinyPerClass);
  return { downsample: fields.tinySize === '32' ? 2 : 1, trainPerClass: perClass >= TINY_IMAGENET.trainPerClass ? null : perClass };
}

/** An import's settings in words: "32×32, 250 training images per class". */
export function describeImportSettings(settings: { readonly downsample?: number; readonly trainPerClass?: number | null }): string {
  const side = TINY_IMAGENET.side / (settings.downsample ?? 1);
  const perClass = settings.trainPerClass ?? null;
  return `${side}×${side}, ${perClass === null || perClass >= TINY_IMAGENET.trainPerClass ? `all ${TINY_IMAGENET.trainPerClass}` : perClass} training images per class`;
}

/**
 * Why a stored TinyImageNet cannot train an experiment (it was imported at
 * another size or with another number of images per class), or null. A
 * stored copy without recorded choices kept everything at 64×64.
 */
export function tinyImageNetMismatch(stored: { readonly downsample?: number; readonly trainPerClass?: number | null } | undefined, fields: TinyImageNetFields): string | null {
  const wanted = tinyImageNetSettings(fields);
  const storedSettings = { downsample: stored?.downsample ?? 1, trainPerClass: stored?.trainPerClass ?? null };
  const same = storedSettings.downsample === wanted.downsample && (storedSettings.trainPerClass ?? null) === (wanted.trainPerClass ?? null);
  if (same) return null;
  return (
    `These settings train on TinyImageNet at ${describeImportSettings(wanted)}, but the copy in this browser was imported at ` +
    `${describeImportSettings(storedSettings)}: import it again with these settings, or set Image size and Training images per class to match it.`
  );
}
