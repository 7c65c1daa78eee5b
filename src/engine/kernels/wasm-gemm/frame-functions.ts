import { multiplyAddInto, startTile, storeTile, TILE_COLUMNS, TILE_ROWS, type MultiplyAdd, type TileOfC } from './product-functions';
import { addTo, op, type, whileNot, type Bytes, type ValueType } from './wasm-bytes';

/** The locals a filter gradient's walk over its images' output pixels uses (filterGradientFrames, filterGradientOneChannel). */
export interface PixelWalk {
  readonly images: number;
  readonly outHeight: number;
  readonly image: number;
  readonly oy: number;
  readonly end: number;
  /** Bytes a lead pointer moves along a row of the output; then rowJump to the next row, imageJump to the next frame. */
  readonly rowBytes: number;
  readonly rowJump: number;
  readonly imageJump: number;
  readonly first: number;
  readonly taps: number;
  readonly panel: number;
  readonly panelBytes: number;
  readonly column: number;
  readonly columnEnd: number;
  readonly cursor: number;
  readonly c: number;
  readonly accumulate: number;
  readonly tileOfC: TileOfC;
}

/**
 * The tile of C of taps `first`…first+3: started from C (accumulate) or 0, then `step` at every output pixel of the
 * images (each step moves the pointers along; `pointers[0]` leads), then stored.
 */
export function tapTile(w: PixelWalk, pointers: readonly number[], step: Bytes): Bytes {
  const get = op.localGet;
  const set = op.localSet;
  const { target, cRowBytes, column } = w.tileOfC;
  const jump = (by: number) => pointers.flatMap((pointer) => addTo(pointer, get(by)));
  return [
    ...get(w.c), ...get(w.first), ...get(cRowBytes), ...op.i32Mul, ...op.i32Add, ...get(column), ...op.i32Add, ...set(target),
    ...startTile(w.tileOfC, w.accumulate, w.cursor),
    ...get(w.panel), ...set(w.cursor),
    ...op.i32Const(0), ...set(w.image),
    ...whileNot([...get(w.image), ...get(w.images), ...op.i32GeU], [
      ...op.i32Const(0), ...set(w.oy),
      ...whileNot([...get(w.oy), ...get(w.outHeight), ...op.i32GeU], [
        ...get(pointers[0]!), ...get(w.rowBytes), ...op.i32Add, ...set(w.end),
        ...whileNot([...get(pointers[0]!), ...get(w.end), ...op.i32GeU], step),
        ...jump(w.rowJump),
        ...addTo(w.oy, op.i32Const(1)),
      ]),
      ...jump(w.imageJump),
      ...addTo(w.image, op.i32Const(1)),
    ]),
    ...storeTile(w.tileOfC),
    ...addTo(w.first, op.i32Const(TILE_ROWS)),
  ];
}

/** `tile` for every tile of taps of every panel of dy (panels of 8 columns, panelBytes apart). */
export function overTapTiles(w: PixelWalk, tile: Bytes): Bytes {
  const get = op.localGet;
  return [
    ...op.i32Const(0), ...op.localSet(w.column),
    ...whileNot([...get(w.column), ...get(w.columnEnd), ...op.i32GeU], [
      ...op.i32Const(0), ...op.localSet(w.first),
      ...whileNot([...get(w.first), ...get(w.taps), ...op.i32GeU], tile),
      ...addTo(w.panel, get(w.panelBytes)),
      ...addTo(w.column, op.i32Const(TILE_COLUMNS * 4)),
    ]),
  ];
}

/**
 * Sets the walk's row and image jumps from a lead pointer's step along a row of the output (`pixelStep`), down a
 * row (`rowStep`) and a frame's bytes, and panelBytes: a panel holds every pixel of the images, 8 floats each.
 */
export function walkSteps(w: PixelWalk, outWidth: number, pixelStep: number, rowStep: number, frameBytes: Bytes): Bytes {
  const get = op.localGet;
  const set = op.localSet;
  return [
    ...get(outWidth), ...get(pixelStep), ...op.i32Mul, ...set(w.rowBytes),
    ...get(rowStep), ...get(w.rowBytes), ...op.i32Sub, ...set(w.rowJump),
    ...frameBytes, ...get(w.outHeight), ...get(rowStep), ...op.i32Mul, ...op.i32Sub, ...set(w.imageJump),
    ...get(w.images), ...get(w.outHeight), ...op.i32Mul, ...get(outWidth), ...op.i32Mul, ...op.i32Const(TILE_COLUMNS * 4), ...op.i32Mul, ...set(w.panelBytes),
  ];
}

/**
 * A convolution of many-channel images read from their padded frames in
 * place, as WASM bytes (gemm-module.ts assembles them): no im2col. An output
 * pixel's taps are, for each filter row, one run of kw·channels adjacent
 * floats of the frame (NHWC), so a tile walks the frame with one pointer per
 * pixel. Its tile is 2 pixels × 16 output channels: 8 accumulators, and 4
 * vectors of the filter and one float of the image per step, in 13 of the 15
 * vector registers V8 gives WASM on x64.
 *
 *   placeImages(...): each image's rows copied into a zeroed frame the size of the padded image.
 *   packWide(b, panels, k, n, rowFloats): the filter [k × n] into panels of 16 columns (product-functions.ts).
 *   convolveFrames(...): C = the convolution of frames with the filter's wide panels.
 *   placeImagesInPlanes(...): the same, into frames of planes of 4 channels.
 *   filterGradientFrames(...): C (+)= the convolution's filter gradient, read from frames in planes and dy's panels.
 */

const i32s = (count: number) => new Array<ValueType>(count).fill(type.i32);

/** Indices of a function's parameters and then its locals, by name. */
export function indices<const P extends readonly string[], const L extends readonly string[]>(params: P, locals: L) {
  return Object.fromEntries([...params, ...locals].map((name, i) => [name, i])) as Record<P[number] | L[number], number>;
}

const PLACE_PARAMETERS = [
  'source', 'frames', 'images', 'rows', 'copyBytes', 'sourceRowBytes', 'frameRowBytes', 'sourceImageBytes', 'frameBytes', 'offsetInFrame',
] as const;

/**
 * placeImages(source, frames, images, rows, copyBytes, sourceRowBytes, frameRowBytes, sourceImageBytes,
 * frameBytes, offsetInFrame): each image's frame (frameBytes from frames on, one after the other) is zeroed,
 * then `rows` runs of copyBytes are copied into it from offsetInFrame on, row by row. The caller points source
 * at the first row and column that are copied: the image lands at its padding's offset, cropped where
 * padding is negative or the frame ends.
 */
export function placeImagesFunction() {
  const v = indices(PLACE_PARAMETERS, ['image', 'row', 'from', 'to', 'frame'] as const);
  const get = op.localGet;
  const set = op.localSet;
  const body = [
    ...op.i32Const(0), ...set(v.image),
    ...whileNot([...get(v.image), ...get(v.images), ...op.i32GeU], [
      ...get(v.frames), ...get(v.image), ...get(v.frameBytes), ...op.i32Mul, ...op.i32Add, ...set(v.frame),
      ...get(v.frame), ...op.i32Const(0), ...get(v.frameBytes), ...op.memoryFill,
      ...get(v.frame), ...get(v.offsetInFrame), ...op.i32Add, ...set(v.to),
      ...get(v.source), ...get(v.image), ...get(v.sourceImageBytes), ...op.i32Mul, ...op.i32Add, ...set(v.from),
      ...op.i32Const(0), ...set(v.row),
      ...whileNot([...get(v.row), ...get(v.rows), ...op.i32GeU], [
        ...get(v.to), ...get(v.from), ...get(v.copyBytes), ...op.memoryCopy,
        ...addTo(v.to, get(v.frameRowBytes)),
        ...addTo(v.from, get(v.sourceRowBytes)),
        ...addTo(v.row, op.i32Const(1)),
      ]),
      ...addTo(v.image, op.i32Const(1)),
    ]),
  ];
  return { name: 'placeImages', params: i32s(PLACE_PARAMETERS.length), results: [], locals: i32s(5), body };
}

export const WIDE_COLUMNS = 16;

const PLACE_IN_PLANES_PARAMETERS = [
  'source', 'frames', 'images', 'rows', 'columns', 'sourceRowBytes', 'sourceImageBytes', 'channels', 'planeBytes', 'planeRowBytes', 'offsetInPlane',
] as const;

/**
 * placeImagesInPlanes(source, frames, images, rows, columns, sourceRowBytes, sourceImageBytes, channels, planeBytes,
 * planeRowBytes, offsetInPlane): as placeImages, into frames laid out as planes of 4 channels: plane g holds
 * channels 4g…4g+3 of every pixel, 16 bytes a pixel (0 past the last channel), so that a walk along a row reads
 * adjacent floats whatever the number of channels. `rows` × `columns` pixels are copied from source on (pointing at
 * the first copied), each plane's from offsetInPlane on; a frame is ⌈channels/4⌉ planes.
 */
export function placeImagesInPlanesFunction() {
  const v = indices(
    PLACE_IN_PLANES_PARAMETERS,
    ['image', 'frame', 'group', 'row', 'column', 'from', 'to', 'rowFrom', 'rowTo', 'frameBytes', 'pixelBytes', 'left', 'j'] as const,
  );
  const get = op.localGet;
  const set = op.localSet;
  // A whole group of 4 channels is one vector; the last group of a count that is not a multiple of 4 is copied float
  // by float, the rest of its plane left 0.
  const copyPixel = [
    ...get(v.left), ...op.i32Const(4), ...op.i32GeU,
    ...op.if,
    ...get(v.to), ...get(v.from), ...op.v128Load(0), ...op.v128Store(0),
    ...op.else,
    ...op.i32Const(0), ...set(v.j),
    ...whileNot([...get(v.j), ...get(v.left), ...op.i32GeU], [
      ...get(v.to), ...get(v.j), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add,
      ...get(v.from), ...get(v.j), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.f32Load(0),
      ...op.f32Store(0),
      ...addTo(v.j, op.i32Const(1)),
    ]),
    ...op.end,
  ];
  const body = [
    ...get(v.channels), ...op.i32Const(2), ...op.i32Shl, ...set(v.pixelBytes),
    ...get(v.planeBytes), ...get(v.channels), ...op.i32Const(3), ...op.i32Add, ...op.i32Const(4), ...op.i32DivU, ...op.i32Mul, ...set(v.frameBytes),
    ...op.i32Const(0), ...set(v.image),
    ...whileNot([...get(v.image), ...get(v.images), ...op.i32GeU], [
      ...get(v.frames), ...get(v.image), ...get(v.frameBytes), ...op.i32Mul, ...op.i32Add, ...set(v.frame),
      ...get(v.frame), ...op.i32Const(0), ...get(v.frameBytes), ...op.memoryFill,
      ...op.i32Const(0), ...set(v.group),
      ...whileNot([...get(v.group), ...get(v.channels), ...op.i32GeU], [
        // Channels group…group+3: from each pixel's floats at group, to their plane.
        ...get(v.source), ...get(v.image), ...get(v.sourceImageBytes), ...op.i32Mul, ...op.i32Add, ...get(v.group), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...set(v.rowFrom),
        ...get(v.frame), ...get(v.group), ...op.i32Const(4), ...op.i32DivU, ...get(v.planeBytes), ...op.i32Mul, ...op.i32Add, ...get(v.offsetInPlane), ...op.i32Add, ...set(v.rowTo),
        ...get(v.channels), ...get(v.group), ...op.i32Sub, ...set(v.left),
        ...op.i32Const(0), ...set(v.row),
        ...whileNot([...get(v.row), ...get(v.rows), ...op.i32GeU], [
          ...get(v.rowFrom), ...set(v.from),
          ...get(v.rowTo), ...set(v.to),
          ...op.i32Const(0), ...set(v.column),
          ...whileNot([...get(v.column), ...get(v.columns), ...op.i32GeU], [
            ...copyPixel,
            ...addTo(v.from, get(v.pixelBytes)),
            ...addTo(v.to, op.i32Const(16)),
            ...addTo(v.column, op.i32Const(1)),
          ]),
          ...addTo(v.rowFrom, get(v.sourceRowBytes)),
          ...addTo(v.rowTo, get(v.planeRowBytes)),
          ...addTo(v.row, op.i32Const(1)),
        ]),
        ...addTo(v.group, op.i32Const(4)),
      ]),
      ...addTo(v.image, op.i32Const(1)),
    ]),
  ];
  return { name: 'placeImagesInPlanes', params: i32s(PLACE_IN_PLANES_PARAMETERS.length), results: [], locals: i32s(13), body };
}

const CONVOLVE_FRAMES_PARAMETERS = [
  'frames', 'panels', 'c', 'images', 'outHeight', 'outWidth', 'frameHeight', 'frameWidth', 'channels',
  'kernelHeight', 'kernelWidth', 'strideHeight', 'strideWidth', 'n',
] as const;

/**
 * convolveFrames(frames, panels, c, images, outHeight, outWidth, frameHeight, frameWidth, channels, kernelHeight,
 * kernelWidth, strideHeight, strideWidth, n): C [images·outHeight·outWidth × n] = the convolution (dilation 1) of
 * `images` frames [frameHeight × frameWidth × channels] with the filter [kh·kw·channels × n] packed into panels of
 * 16 columns (n a multiple of 16). Output pixel (oy, ox) reads the frame from row oy·strideHeight, column
 * ox·strideWidth. Pixels go in pairs along a row of the output (outWidth is even).
 */
export function convolveFramesFunction(multiplyAdd: MultiplyAdd) {
  const localNames = [
    'column', 'panel', 'panelBytes', 'image', 'oy', 'rowA', 'target', 'pair', 'pairs', 'first', 'second', 'cursor', 'ky', 'end',
    'runBytes', 'kyJump', 'frameRowBytes', 'frameBytes', 'pixelStep', 'pairStep', 'cRowBytes', 'oyStep',
  ] as const;
  const v = indices(CONVOLVE_FRAMES_PARAMETERS, localNames);
  const firstVector = CONVOLVE_FRAMES_PARAMETERS.length + localNames.length;
  const b = (j: number) => firstVector + j;
  const x = firstVector + 4;
  const accumulator = (pixel: number, j: number) => firstVector + 5 + 4 * pixel + j;
  const get = op.localGet;
  const set = op.localSet;
  const quarters = [0, 1, 2, 3];
  const step = [
    ...quarters.flatMap((j) => [...get(v.cursor), ...op.v128Load(16 * j), ...set(b(j))]),
    ...addTo(v.cursor, op.i32Const(WIDE_COLUMNS * 4)),
    ...[v.first, v.second].flatMap((pointer, pixel) => [
      ...get(pointer), ...op.v128Load32Splat(0), ...set(x),
      ...quarters.flatMap((j) => multiplyAddInto(multiplyAdd, x, b(j), accumulator(pixel, j))),
      ...addTo(pointer, op.i32Const(4)),
    ]),
  ];
  const tile = [
    ...get(v.rowA), ...get(v.pair), ...get(v.pairStep), ...op.i32Mul, ...op.i32Add, ...set(v.first),
    ...get(v.first), ...get(v.pixelStep), ...op.i32Add, ...set(v.second),
    ...[0, 1].flatMap((pixel) => quarters.flatMap((j) => [...op.v128Zero, ...set(accumulator(pixel, j))])),
    ...get(v.panel), ...set(v.cursor),
    ...op.i32Const(0), ...set(v.ky),
    ...whileNot([...get(v.ky), ...get(v.kernelHeight), ...op.i32GeU], [
      ...get(v.first), ...get(v.runBytes), ...op.i32Add, ...set(v.end),
      ...whileNot([...get(v.first), ...get(v.end), ...op.i32GeU], step),
      ...addTo(v.first, get(v.kyJump)),
      ...addTo(v.second, get(v.kyJump)),
      ...addTo(v.ky, op.i32Const(1)),
    ]),
    ...[0, 1].flatMap((pixel) => [
      ...quarters.flatMap((j) => [...get(v.target), ...get(accumulator(pixel, j)), ...op.v128Store(16 * j)]),
      ...addTo(v.target, get(v.cRowBytes)),
    ]),
    ...addTo(v.pair, op.i32Const(1)),
  ];
  const body = [
    ...get(v.n), ...op.i32Const(2), ...op.i32Shl, ...set(v.cRowBytes),
    ...get(v.kernelWidth), ...get(v.channels), ...op.i32Mul, ...op.i32Const(2), ...op.i32Shl, ...set(v.runBytes),
    ...get(v.frameWidth), ...get(v.channels), ...op.i32Mul, ...op.i32Const(2), ...op.i32Shl, ...set(v.frameRowBytes),
    ...get(v.frameHeight), ...get(v.frameRowBytes), ...op.i32Mul, ...set(v.frameBytes),
    ...get(v.frameRowBytes), ...get(v.runBytes), ...op.i32Sub, ...set(v.kyJump),
    ...get(v.strideWidth), ...get(v.channels), ...op.i32Mul, ...op.i32Const(2), ...op.i32Shl, ...set(v.pixelStep),
    ...get(v.pixelStep), ...op.i32Const(1), ...op.i32Shl, ...set(v.pairStep),
    ...get(v.strideHeight), ...get(v.frameRowBytes), ...op.i32Mul, ...set(v.oyStep),
    ...get(v.outWidth), ...op.i32Const(2), ...op.i32DivU, ...set(v.pairs),
    ...get(v.kernelHeight), ...get(v.runBytes), ...op.i32Mul, ...op.i32Const(WIDE_COLUMNS), ...op.i32Mul, ...set(v.panelBytes),
    ...get(v.panels), ...set(v.panel),
    ...op.i32Const(0), ...set(v.column),
    ...whileNot([...get(v.column), ...get(v.cRowBytes), ...op.i32GeU], [
      ...get(v.c), ...get(v.column), ...op.i32Add, ...set(v.target),
      ...op.i32Const(0), ...set(v.image),
      ...whileNot([...get(v.image), ...get(v.images), ...op.i32GeU], [
        ...get(v.frames), ...get(v.image), ...get(v.frameBytes), ...op.i32Mul, ...op.i32Add, ...set(v.rowA),
        ...op.i32Const(0), ...set(v.oy),
        ...whileNot([...get(v.oy), ...get(v.outHeight), ...op.i32GeU], [
          ...op.i32Const(0), ...set(v.pair),
          ...whileNot([...get(v.pair), ...get(v.pairs), ...op.i32GeU], tile),
          ...addTo(v.rowA, get(v.oyStep)),
          ...addTo(v.oy, op.i32Const(1)),
        ]),
        ...addTo(v.image, op.i32Const(1)),
      ]),
      ...addTo(v.panel, get(v.panelBytes)),
      ...addTo(v.column, op.i32Const(WIDE_COLUMNS * 4)),
    ]),
  ];
  const locals: ValueType[] = [...new Array<ValueType>(localNames.length).fill(type.i32), ...new Array<ValueType>(5 + 8).fill(type.v128)];
  return { name: 'convolveFrames', params: new Array<ValueType>(CONVOLVE_FRAMES_PARAMETERS.length).fill(type.i32), results: [], locals, body };
}

const FILTER_GRADIENT_FRAMES_PARAMETERS = [
  'frames', 'panels', 'c', 'images', 'outHeight', 'outWidth', 'frameHeight', 'frameWidth', 'channels', 'kernelHeight', 'kernelWidth',
  'strideHeight', 'strideWidth', 'dilationHeight', 'dilationWidth', 'n', 'accumulate',
] as const;

/**
 * filterGradientFrames(frames, panels, c, images, outHeight, outWidth, frameHeight, frameWidth, channels,
 * kernelHeight, kernelWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, n, accumulate):
 * C [kh·kw·channels × n] = Σ over the images' output pixels of the frame's value at each tap times dy's row, or
 * C += that if accumulate is not 0; dy [pixels × n] is packed into panels of 8 columns (pack, with k = the images'
 * pixels). The frames are in planes of 4 channels (placeImagesInPlanes). Output pixel (oy, ox) reads the frame from
 * row oy·strideHeight, column ox·strideWidth. A tile's rows are 4 taps that differ only in channel (channels is a
 * multiple of 4): at every pixel 4 adjacent floats of a plane, read from one pointer as packed tiles of A are, and
 * the walk along a row of the output reads a plane's floats in order (with many channels, a walk through whole
 * pixels would read one vector of each cache line: measured 15% slower than im2col at 64 channels).
 */
export function filterGradientFramesFunction(multiplyAdd: MultiplyAdd) {
  const localNames = [
    'column', 'columnEnd', 'panel', 'panelBytes', 'taps', 'first', 'image', 'oy', 'ap', 'end', 'cursor', 'target', 'cRowBytes',
    'pixelStep', 'rowBytes', 'rowJump', 'imageJump', 'frameRowBytes', 'tapRowFloats', 'ky', 'rest', 'kx', 'planeBytes', 'rowStep',
  ] as const;
  const v = indices(FILTER_GRADIENT_FRAMES_PARAMETERS, localNames);
  const firstVector = FILTER_GRADIENT_FRAMES_PARAMETERS.length + localNames.length;
  const [b0, b1, x] = [firstVector, firstVector + 1, firstVector + 2];
  const accumulator = (r: number, half: number) => firstVector + 3 + 2 * r + half;
  const get = op.localGet;
  const set = op.localSet;
  const tileOfC = { target: v.target, column: v.column, cRowBytes: v.cRowBytes, columnEnd: v.columnEnd, accumulator };
  const step = [
    ...get(v.cursor), ...op.v128Load(0), ...set(b0),
    ...get(v.cursor), ...op.v128Load(16), ...set(b1),
    ...[0, 1, 2, 3].flatMap((r) => [
      ...get(v.ap), ...op.v128Load32Splat(4 * r), ...set(x),
      ...multiplyAddInto(multiplyAdd, x, b0, accumulator(r, 0)),
      ...multiplyAddInto(multiplyAdd, x, b1, accumulator(r, 1)),
    ]),
    ...addTo(v.cursor, op.i32Const(TILE_COLUMNS * 4)),
    ...addTo(v.ap, get(v.pixelStep)),
  ];
  const walk: PixelWalk = { ...v, tileOfC };
  const tile = [
    // Tap `first` is (ky, kx, channel) of the filter: the frame's float at (ky·dilationHeight, kx·dilationWidth, channel).
    ...get(v.first), ...get(v.tapRowFloats), ...op.i32DivU, ...set(v.ky),
    ...get(v.first), ...get(v.ky), ...get(v.tapRowFloats), ...op.i32Mul, ...op.i32Sub, ...set(v.rest),
    ...get(v.rest), ...get(v.channels), ...op.i32DivU, ...set(v.kx),
    // Channel c of pixel (y, x) is in plane c/4, at (y·frameWidth + x)·16 + (c mod 4)·4 bytes; tiles start at c mod 4 = 0.
    ...get(v.frames),
    ...get(v.rest), ...get(v.kx), ...get(v.channels), ...op.i32Mul, ...op.i32Sub, ...op.i32Const(4), ...op.i32DivU, ...get(v.planeBytes), ...op.i32Mul, ...op.i32Add,
    ...get(v.ky), ...get(v.dilationHeight), ...op.i32Mul, ...get(v.frameRowBytes), ...op.i32Mul, ...op.i32Add,
    ...get(v.kx), ...get(v.dilationWidth), ...op.i32Mul, ...op.i32Const(16), ...op.i32Mul, ...op.i32Add,
    ...set(v.ap),
    ...tapTile(walk, [v.ap], step),
  ];
  const body = [
    ...get(v.n), ...op.i32Const(2), ...op.i32Shl, ...set(v.cRowBytes),
    ...get(v.n), ...op.i32Const(2), ...op.i32Shl, ...set(v.columnEnd),
    ...get(v.kernelWidth), ...get(v.channels), ...op.i32Mul, ...set(v.tapRowFloats),
    ...get(v.kernelHeight), ...get(v.tapRowFloats), ...op.i32Mul, ...set(v.taps),
    ...get(v.frameWidth), ...op.i32Const(16), ...op.i32Mul, ...set(v.frameRowBytes),
    ...get(v.frameHeight), ...get(v.frameRowBytes), ...op.i32Mul, ...set(v.planeBytes),
    ...get(v.strideWidth), ...op.i32Const(16), ...op.i32Mul, ...set(v.pixelStep),
    ...get(v.strideHeight), ...get(v.frameRowBytes), ...op.i32Mul, ...set(v.rowStep),
    // A frame is channels/4 planes.
    ...walkSteps(walk, v.outWidth, v.pixelStep, v.rowStep, [...get(v.planeBytes), ...get(v.channels), ...op.i32Mul, ...op.i32Const(4), ...op.i32DivU]),
    ...get(v.panels), ...set(v.panel),
    ...overTapTiles(walk, tile),
  ];
  const locals: ValueType[] = [...i32s(localNames.length), ...new Array<ValueType>(3 + 2 * TILE_ROWS).fill(type.v128)];
  return { name: 'filterGradientFrames', params: i32s(FILTER_GRADIENT_FRAMES_PARAMETERS.length), results: [], locals, body };
}
