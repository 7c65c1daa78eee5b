import { multiplyAddInto, startTile, storeTile, TILE_COLUMNS, TILE_ROWS, type MultiplyAdd } from './product-functions';
import { indices, overTapTiles, tapTile, walkSteps, type PixelWalk } from './frame-functions';
import { addTo, op, type, whileNot, type Bytes, type ValueType } from './wasm-bytes';

/**
 * Convolutions of a one-channel image (LeNet-5's first layer) without im2col,
 * as WASM bytes (gemm-module.ts assembles them). With one channel, im2col's
 * matrix is the zero-padded image (a frame, placeImages in frame-functions.ts)
 * read at shifted positions: the product reads those positions in place, where
 * im2col would write every value kh·kw times and read it back (measured on
 * LeNet-5's first layer: 590 µs of im2col beside 880 µs of product, on one
 * thread).
 *
 *   convolveOneChannel(...): C = the stride-1 convolution of padded images, a tile of 4 adjacent output pixels
 *     at a time (so each row of the output is a whole number of tiles).
 *   filterGradientOneChannel(...): C (+)= the gradient of a convolution with respect to its filter, a tile of
 *     4 taps at a time, summed over every output pixel of the images.
 * All pointers are byte addresses in the module's memory.
 */

const TILE = Array.from({ length: TILE_ROWS }, (_, r) => r);

const i32s = (count: number) => new Array<ValueType>(count).fill(type.i32);
const v128s = (count: number) => new Array<ValueType>(count).fill(type.v128);

/** The vector locals of a tile loop after `first`: two vectors of B, A's splatted float, and the tile's 8 accumulators. */
function tileVectors(first: number) {
  return { b0: first, b1: first + 1, x: first + 2, accumulator: (r: number, half: number) => first + 3 + 2 * r + half, count: 3 + 2 * TILE_ROWS };
}

/** One step of k: the panel's next row (at `cursor`, which moves on) times the 4 floats of A that `floatOf(r)` loads. */
function stepOfK(multiplyAdd: MultiplyAdd, cursor: number, vectors: ReturnType<typeof tileVectors>, floatOf: (r: number) => Bytes): Bytes {
  const { b0, b1, x, accumulator } = vectors;
  return [
    ...op.localGet(cursor), ...op.v128Load(0), ...op.localSet(b0),
    ...op.localGet(cursor), ...op.v128Load(16), ...op.localSet(b1),
    ...TILE.flatMap((r) => [
      ...floatOf(r), ...op.localSet(x),
      ...multiplyAddInto(multiplyAdd, x, b0, accumulator(r, 0)),
      ...multiplyAddInto(multiplyAdd, x, b1, accumulator(r, 1)),
    ]),
    ...addTo(cursor, op.i32Const(TILE_COLUMNS * 4)),
  ];
}

const CONVOLVE_PARAMETERS = [
  'padded', 'panels', 'c', 'images', 'outHeight', 'outWidth', 'paddedHeight', 'paddedWidth',
  'kernelHeight', 'kernelWidth', 'dilationHeight', 'dilationWidth', 'n', 'cColumns',
] as const;

/**
 * convolveOneChannel(padded, panels, c, images, outHeight, outWidth, paddedHeight, paddedWidth, kernelHeight,
 * kernelWidth, dilationHeight, dilationWidth, n, cColumns): C [images·outHeight·outWidth × cColumns] = the
 * stride-1 convolution of `images` padded images [paddedHeight × paddedWidth] (placeImages) with the filter
 * [kh·kw × n] packed into panels, n the columns of C written. Output pixel (oy, ox) reads padded row oy + ky·dilationHeight,
 * column ox + kx·dilationWidth. A tile's 4 rows are 4 adjacent pixels of a row of the output (outWidth is a
 * multiple of 4): at every tap they are 4 adjacent floats of the padded image.
 */
export function convolveOneChannelFunction(multiplyAdd: MultiplyAdd) {
  const localNames = [
    'column', 'columnEnd', 'panel', 'panelBytes', 'image', 'oy', 'rowA', 'rowC', 'tileByte', 'rowEndByte', 'ap', 'cursor', 'target',
    'cRowBytes', 'ky', 'kx', 'kxStep', 'kyJump', 'paddedRowBytes', 'paddedImageBytes', 'outRowBytesOfC', 'zero',
  ] as const;
  const v = indices(CONVOLVE_PARAMETERS, localNames);
  const vectors = tileVectors(CONVOLVE_PARAMETERS.length + localNames.length);
  const get = op.localGet;
  const set = op.localSet;
  const tileOfC = { target: v.target, column: v.column, cRowBytes: v.cRowBytes, columnEnd: v.columnEnd, accumulator: vectors.accumulator };
  const step = [...stepOfK(multiplyAdd, v.cursor, vectors, (r) => [...get(v.ap), ...op.v128Load32Splat(4 * r)]), ...addTo(v.ap, get(v.kxStep))];
  const tile = [
    ...get(v.rowA), ...get(v.tileByte), ...op.i32Add, ...set(v.ap),
    // The tile's first pixel is tileByte / 4 pixels into the row: that many rows of C on.
    ...get(v.rowC), ...get(v.tileByte), ...get(v.cColumns), ...op.i32Mul, ...op.i32Add, ...get(v.column), ...op.i32Add, ...set(v.target),
    ...startTile(tileOfC, v.zero, v.cursor),
    ...get(v.panel), ...set(v.cursor),
    ...op.i32Const(0), ...set(v.ky),
    ...whileNot([...get(v.ky), ...get(v.kernelHeight), ...op.i32GeU], [
      ...op.i32Const(0), ...set(v.kx),
      ...whileNot([...get(v.kx), ...get(v.kernelWidth), ...op.i32GeU], [...step, ...addTo(v.kx, op.i32Const(1))]),
      ...addTo(v.ap, get(v.kyJump)),
      ...addTo(v.ky, op.i32Const(1)),
    ]),
    ...storeTile(tileOfC),
    ...addTo(v.tileByte, op.i32Const(TILE_ROWS * 4)),
  ];
  const body = [
    ...get(v.cColumns), ...op.i32Const(2), ...op.i32Shl, ...set(v.cRowBytes),
    ...get(v.n), ...op.i32Const(2), ...op.i32Shl, ...set(v.columnEnd),
    ...get(v.paddedWidth), ...op.i32Const(2), ...op.i32Shl, ...set(v.paddedRowBytes),
    ...get(v.paddedHeight), ...get(v.paddedRowBytes), ...op.i32Mul, ...set(v.paddedImageBytes),
    ...get(v.dilationWidth), ...op.i32Const(2), ...op.i32Shl, ...set(v.kxStep),
    // After a row of taps: down dilationHeight rows, back to the first tap's column.
    ...get(v.dilationHeight), ...get(v.paddedRowBytes), ...op.i32Mul, ...get(v.kernelWidth), ...get(v.kxStep), ...op.i32Mul, ...op.i32Sub, ...set(v.kyJump),
    ...get(v.kernelHeight), ...get(v.kernelWidth), ...op.i32Mul, ...op.i32Const(TILE_COLUMNS * 4), ...op.i32Mul, ...set(v.panelBytes),
    ...get(v.outWidth), ...op.i32Const(2), ...op.i32Shl, ...set(v.rowEndByte),
    ...get(v.outWidth), ...get(v.cRowBytes), ...op.i32Mul, ...set(v.outRowBytesOfC),
    ...get(v.panels), ...set(v.panel),
    ...op.i32Const(0), ...set(v.column),
    ...whileNot([...get(v.column), ...get(v.columnEnd), ...op.i32GeU], [
      ...get(v.c), ...set(v.rowC),
      ...op.i32Const(0), ...set(v.image),
      ...whileNot([...get(v.image), ...get(v.images), ...op.i32GeU], [
        ...get(v.padded), ...get(v.image), ...get(v.paddedImageBytes), ...op.i32Mul, ...op.i32Add, ...set(v.rowA),
        ...op.i32Const(0), ...set(v.oy),
        ...whileNot([...get(v.oy), ...get(v.outHeight), ...op.i32GeU], [
          ...op.i32Const(0), ...set(v.tileByte),
          ...whileNot([...get(v.tileByte), ...get(v.rowEndByte), ...op.i32GeU], tile),
          ...addTo(v.rowA, get(v.paddedRowBytes)),
          ...addTo(v.rowC, get(v.outRowBytesOfC)),
          ...addTo(v.oy, op.i32Const(1)),
        ]),
        ...addTo(v.image, op.i32Const(1)),
      ]),
      ...addTo(v.panel, get(v.panelBytes)),
      ...addTo(v.column, op.i32Const(TILE_COLUMNS * 4)),
    ]),
  ];
  return { name: 'convolveOneChannel', params: i32s(CONVOLVE_PARAMETERS.length), results: [], locals: [...i32s(localNames.length), ...v128s(vectors.count)], body };
}

const FILTER_GRADIENT_PARAMETERS = [
  'padded', 'panels', 'c', 'images', 'outHeight', 'outWidth', 'paddedHeight', 'paddedWidth', 'kernelHeight', 'kernelWidth',
  'strideHeight', 'strideWidth', 'dilationHeight', 'dilationWidth', 'n', 'cColumns', 'accumulate',
] as const;

/**
 * filterGradientOneChannel(padded, panels, c, images, outHeight, outWidth, paddedHeight, paddedWidth,
 * kernelHeight, kernelWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, n, cColumns, accumulate):
 * C [kh·kw (whole tiles) × cColumns] = Σ over the images' output pixels of the padded image's value at each tap
 * times dy's row, or C += that if accumulate is not 0. dy [pixels × n] is packed into panels (pack with k = the
 * images' pixels; n the columns of C written). Output pixel (oy, ox) reads padded row oy·strideHeight + ky·dilationHeight,
 * column ox·strideWidth + kx·dilationWidth. A tile's rows are 4 taps; rows past the last tap read tap 0 and only
 * reach C's padding rows.
 */
export function filterGradientOneChannelFunction(multiplyAdd: MultiplyAdd) {
  const localNames = [
    'column', 'columnEnd', 'panel', 'panelBytes', 'taps', 'tap', 'first', 'image', 'oy', 'rowBytes', 'rowJump', 'imageJump', 'end', 'cursor', 'target',
    'cRowBytes', 'oxStep', 'oyStep', 'paddedRowBytes', 'ky',
  ] as const;
  const v = indices(FILTER_GRADIENT_PARAMETERS, localNames);
  const rowPointer = (r: number) => FILTER_GRADIENT_PARAMETERS.length + localNames.length + r;
  const vectors = tileVectors(rowPointer(TILE_ROWS));
  const get = op.localGet;
  const set = op.localSet;
  const tileOfC = { target: v.target, column: v.column, cRowBytes: v.cRowBytes, columnEnd: v.columnEnd, accumulator: vectors.accumulator };
  // Each row pointer walks along its tap's positions, a row of the output at a time.
  const step = [
    ...stepOfK(multiplyAdd, v.cursor, vectors, (r) => [...get(rowPointer(r)), ...op.v128Load32Splat(0)]),
    ...TILE.flatMap((r) => addTo(rowPointer(r), get(v.oxStep))),
  ];
  /** Row pointer r: the padded image's first float that tap first + r reads (tap 0 past the last tap). */
  const pointToTap = (r: number) => [
    ...get(v.first), ...op.i32Const(r), ...op.i32Add, ...set(v.tap),
    ...get(v.tap), ...op.i32Const(0), ...get(v.tap), ...get(v.taps), ...op.i32LtU, ...op.select, ...set(v.tap),
    ...get(v.tap), ...get(v.kernelWidth), ...op.i32DivU, ...set(v.ky),
    // (ky·dilationHeight·paddedWidth + kx·dilationWidth)·4, kx = tap − ky·kernelWidth
    ...get(v.ky), ...get(v.dilationHeight), ...op.i32Mul, ...get(v.paddedWidth), ...op.i32Mul,
    ...get(v.tap), ...get(v.ky), ...get(v.kernelWidth), ...op.i32Mul, ...op.i32Sub, ...get(v.dilationWidth), ...op.i32Mul,
    ...op.i32Add, ...op.i32Const(2), ...op.i32Shl, ...get(v.padded), ...op.i32Add, ...set(rowPointer(r)),
  ];
  const walk: PixelWalk = { ...v, tileOfC };
  const tile = [...TILE.flatMap(pointToTap), ...tapTile(walk, TILE.map(rowPointer), step)];
  const body = [
    ...get(v.cColumns), ...op.i32Const(2), ...op.i32Shl, ...set(v.cRowBytes),
    ...get(v.n), ...op.i32Const(2), ...op.i32Shl, ...set(v.columnEnd),
    ...get(v.kernelHeight), ...get(v.kernelWidth), ...op.i32Mul, ...set(v.taps),
    ...get(v.paddedWidth), ...op.i32Const(2), ...op.i32Shl, ...set(v.paddedRowBytes),
    ...get(v.strideWidth), ...op.i32Const(2), ...op.i32Shl, ...set(v.oxStep),
    ...get(v.strideHeight), ...get(v.paddedRowBytes), ...op.i32Mul, ...set(v.oyStep),
    ...walkSteps(walk, v.outWidth, v.oxStep, v.oyStep, [...get(v.paddedHeight), ...get(v.paddedRowBytes), ...op.i32Mul]),
    ...get(v.panels), ...set(v.panel),
    ...overTapTiles(walk, tile),
  ];
  return {
    name: 'filterGradientOneChannel',
    params: i32s(FILTER_GRADIENT_PARAMETERS.length),
    results: [],
    locals: [...i32s(localNames.length + TILE_ROWS), ...v128s(vectors.count)],
    body,
  };
}
