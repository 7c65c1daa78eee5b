import { addTo, op, type, whileNot, type Bytes } from './wasm-bytes';

/**
 * The data movements around the product, as WASM bytes (gemm-module.ts
 * assembles them): im2col, as rows or transposed, and its adjoint col2im.
 */

/** The parameters of `im2col`, in order. */
export const IM2COL_PARAMETERS = [
  'image', 'rows', 'height', 'width', 'channels', 'kernelHeight', 'kernelWidth', 'strideHeight', 'strideWidth',
  'padTop', 'padLeft', 'dilationHeight', 'dilationWidth', 'outHeight', 'outWidth', 'firstPixel', 'pixelCount',
] as const;

/**
 * Writes, for `pixelCount` output pixels from `firstPixel` on (counted over
 * batch, rows and columns of the output), one row of A each: the
 * kernelHeight × kernelWidth × channels input values the filter meets there,
 * zeros where the window leaves the image. The image is NHWC; pixel (oy, ox)
 * reads rows oy·strideHeight − padTop + ky·dilationHeight (likewise columns), so
 * padding may be negative too. A times the filter as [kh·kw·channels × out] is
 * the convolution.
 */
export function im2colFunction() {
  const p = Object.fromEntries(IM2COL_PARAMETERS.map((name, i) => [name, i])) as Record<(typeof IM2COL_PARAMETERS)[number], number>;
  const first = IM2COL_PARAMETERS.length;
  const localNames = ['oy', 'ox', 'ky', 'kx', 'iy', 'ix', 'target', 'source', 'offset', 'channelBytes', 'imageBytes', 'base', 'pixelsPerImage', 'inside', 'rowBytes'] as const;
  const { oy, ox, ky, kx, iy, ix, target, source, offset, channelBytes, imageBytes, base, pixelsPerImage, inside, rowBytes } = Object.fromEntries(
    localNames.map((name, i) => [name, first + i]),
  ) as Record<(typeof localNames)[number], number>;
  const get = op.localGet;
  const set = op.localSet;
  /** dst[offset] ← src[offset] (or 0) for offset < length bytes: 16 at a time, then 4. */
  const fill = (copy: boolean, length = channelBytes) => [
    ...op.i32Const(0), ...set(offset),
    ...whileNot([...get(offset), ...op.i32Const(16), ...op.i32Add, ...get(length), ...op.i32GtU], [
      ...get(target), ...get(offset), ...op.i32Add,
      ...(copy ? [...get(source), ...get(offset), ...op.i32Add, ...op.v128Load(0)] : op.v128Zero),
      ...op.v128Store(0),
      ...addTo(offset, op.i32Const(16)),
    ]),
    ...whileNot([...get(offset), ...get(length), ...op.i32GeU], [
      ...get(target), ...get(offset), ...op.i32Add,
      ...(copy ? [...get(source), ...get(offset), ...op.i32Add, ...op.f32Load(0)] : op.f32Const(0)),
      ...op.f32Store(0),
      ...addTo(offset, op.i32Const(4)),
    ]),
  ];
  /** start·stride − pad + k·dilation */
  const position = (start: number, stride: number, pad: number, k: number, dilation: number) => [
    ...get(start), ...get(stride), ...op.i32Mul, ...get(pad), ...op.i32Sub, ...get(k), ...get(dilation), ...op.i32Mul, ...op.i32Add,
  ];
  const tap = [
    ...position(ox, p.strideWidth, p.padLeft, kx, p.dilationWidth), ...set(ix),
    // Negative positions are huge unsigned: one unsigned comparison checks both ends.
    ...get(inside), ...get(ix), ...get(p.width), ...op.i32LtU, ...op.i32And,
    ...op.if,
    ...get(base), ...get(iy), ...get(p.width), ...op.i32Mul, ...get(ix), ...op.i32Add, ...get(channelBytes), ...op.i32Mul, ...op.i32Add, ...set(source),
    ...fill(true),
    ...op.else,
    ...fill(false),
    ...op.end,
    ...addTo(target, get(channelBytes)),
    ...addTo(kx, op.i32Const(1)),
  ];
  // With column dilation 1, a filter row inside the image reads kernelWidth·channels consecutive floats: one copy.
  const firstColumn = [...get(ox), ...get(p.strideWidth), ...op.i32Mul, ...get(p.padLeft), ...op.i32Sub];
  const wholeRowInside = [
    ...get(inside),
    ...get(p.dilationWidth), ...op.i32Const(1), ...op.i32Eq, ...op.i32And,
    ...firstColumn, ...get(p.width), ...op.i32LtU, ...op.i32And,
    ...firstColumn, ...get(p.kernelWidth), ...op.i32Add, ...op.i32Const(1), ...op.i32Sub, ...get(p.width), ...op.i32LtU, ...op.i32And,
  ];
  const kernelRow = [
    ...position(oy, p.strideHeight, p.padTop, ky, p.dilationHeight), ...set(iy),
    ...get(iy), ...get(p.height), ...op.i32LtU, ...set(inside),
    ...wholeRowInside,
    ...op.if,
    ...get(base), ...get(iy), ...get(p.width), ...op.i32Mul, ...firstColumn, ...op.i32Add, ...get(channelBytes), ...op.i32Mul, ...op.i32Add, ...set(source),
    ...fill(true, rowBytes),
    ...addTo(target, get(rowBytes)),
    ...op.else,
    ...op.i32Const(0), ...set(kx),
    ...whileNot([...get(kx), ...get(p.kernelWidth), ...op.i32GeU], tap),
    ...op.end,
    ...addTo(ky, op.i32Const(1)),
  ];
  const nextPixel = [
    ...addTo(ox, op.i32Const(1)),
    ...get(ox), ...get(p.outWidth), ...op.i32GeU,
    ...op.if,
    ...op.i32Const(0), ...set(ox),
    ...addTo(oy, op.i32Const(1)),
    ...get(oy), ...get(p.outHeight), ...op.i32GeU,
    ...op.if,
    ...op.i32Const(0), ...set(oy),
    ...addTo(base, get(imageBytes)),
    ...op.end,
    ...op.end,
    ...get(p.pixelCount), ...op.i32Const(1), ...op.i32Sub, ...set(p.pixelCount),
  ];
  const body = [
    ...get(p.channels), ...op.i32Const(2), ...op.i32Shl, ...set(channelBytes),
    ...get(p.kernelWidth), ...get(channelBytes), ...op.i32Mul, ...set(rowBytes),
    ...get(p.height), ...get(p.width), ...op.i32Mul, ...get(channelBytes), ...op.i32Mul, ...set(imageBytes),
    ...get(p.outHeight), ...get(p.outWidth), ...op.i32Mul, ...set(pixelsPerImage),
    // base = image + (firstPixel / pixelsPerImage)·imageBytes; (oy, ox) from the remainder.
    ...get(p.image), ...get(p.firstPixel), ...get(pixelsPerImage), ...op.i32DivU, ...get(imageBytes), ...op.i32Mul, ...op.i32Add, ...set(base),
    ...get(p.firstPixel), ...get(pixelsPerImage), ...op.i32RemU, ...get(p.outWidth), ...op.i32DivU, ...set(oy),
    ...get(p.firstPixel), ...get(p.outWidth), ...op.i32RemU, ...set(ox),
    ...get(p.rows), ...set(target),
    ...whileNot([...get(p.pixelCount), ...op.i32Eqz], [
      ...op.i32Const(0), ...set(ky),
      ...whileNot([...get(ky), ...get(p.kernelHeight), ...op.i32GeU], kernelRow),
      ...nextPixel,
    ]),
  ];
  return {
    name: 'im2col',
    params: IM2COL_PARAMETERS.map(() => type.i32),
    results: [],
    locals: localNames.map(() => type.i32),
    body,
  };
}

/** Floats from the i32 local `pointer` up to the byte address in `end` set to 0, 16 bytes at a time and then 4; `pointer` ends at `end`. */
const zeroUpTo = (pointer: number, end: number): Bytes => [
  ...whileNot([...op.localGet(pointer), ...op.i32Const(16), ...op.i32Add, ...op.localGet(end), ...op.i32GtU], [
    ...op.localGet(pointer), ...op.v128Zero, ...op.v128Store(0), ...addTo(pointer, op.i32Const(16)),
  ]),
  ...whileNot([...op.localGet(pointer), ...op.localGet(end), ...op.i32GeU], [
    ...op.localGet(pointer), ...op.f32Const(0), ...op.f32Store(0), ...addTo(pointer, op.i32Const(4)),
  ]),
];

/**
 * im2col transposed: for `pixelCount` output pixels from `firstPixel` on, one
 * row per tap (ky, kx, channel), `pitch` floats apart, holding that tap's
 * input value at each pixel (0 outside the image). Same window as im2col. A
 * tap's row reads the image along its output rows, so with one channel and
 * stride 1 each output row's values are consecutive floats of an image row,
 * copied 4 at a time: for images of one to a few channels this beats im2col,
 * whose rows would be a few floats per kernel row. The product reads it as A
 * transposed (forward convolution) or as A (filter gradient).
 */
export function im2colTransposedFunction() {
  const p = Object.fromEntries(IM2COL_PARAMETERS.map((name, i) => [name, i])) as Record<(typeof IM2COL_PARAMETERS)[number], number>;
  const pitch = IM2COL_PARAMETERS.length;
  const first = pitch + 1;
  const localNames = [
    'ky', 'kx', 'channel', 'rowStart', 'out', 'imageAt', 'oy', 'ox', 'remaining', 'run', 'iy', 'ix', 'lo', 'hi', 'source', 'end',
    'channelBytes', 'rowBytes', 'imageBytes', 'step', 'pixelsPerImage',
  ] as const;
  const l = Object.fromEntries(localNames.map((name, i) => [name, first + i])) as Record<(typeof localNames)[number], number>;
  const get = op.localGet;
  const set = op.localSet;
  /** `count` floats at `out` set to 0 (or copied from `source`, `step` bytes apart), `out` moved past them. */
  const zeros = (count: Bytes) => [...get(l.out), ...count, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...set(l.end), ...zeroUpTo(l.out, l.end)];
  const copies = (count: Bytes) => [
    ...get(l.out), ...count, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...set(l.end),
    ...get(l.step), ...op.i32Const(4), ...op.i32Eq,
    ...op.if,
    // Consecutive floats: 4 at a time.
    ...whileNot([...get(l.out), ...op.i32Const(16), ...op.i32Add, ...get(l.end), ...op.i32GtU], [
      ...get(l.out), ...get(l.source), ...op.v128Load(0), ...op.v128Store(0),
      ...addTo(l.out, op.i32Const(16)), ...addTo(l.source, op.i32Const(16)),
    ]),
    ...op.end,
    ...whileNot([...get(l.out), ...get(l.end), ...op.i32GeU], [
      ...get(l.out), ...get(l.source), ...op.f32Load(0), ...op.f32Store(0),
      ...addTo(l.out, op.i32Const(4)), ...addTo(l.source, get(l.step)),
    ]),
  ];
  /** min(a, b) of two i32 expressions (signed). */
  const min = (a: Bytes, b: Bytes) => [...a, ...b, ...a, ...b, ...op.i32LtS, ...op.select];
  /**
   * local ← ceil(distance / stride) for a positive distance, or 0 if `isPositive` is false. At stride 1 (most runs)
   * without the division, which costs more than copying a run of a few dozen floats.
   */
  const pixelsWithin = (local: number, isPositive: Bytes, distance: Bytes) => [
    ...isPositive,
    ...op.if,
    ...distance, ...set(local),
    ...get(p.strideWidth), ...op.i32Const(1), ...op.i32Eq, ...op.i32Eqz,
    ...op.if,
    ...get(local), ...get(p.strideWidth), ...op.i32Add, ...op.i32Const(1), ...op.i32Sub, ...get(p.strideWidth), ...op.i32DivU, ...set(local),
    ...op.end,
    ...op.else,
    ...op.i32Const(0), ...set(local),
    ...op.end,
  ];
  // One run: the pixels of output row oy from ox on, `run` of them.
  const run = [
    ...min([...get(p.outWidth), ...get(l.ox), ...op.i32Sub], get(l.remaining)), ...set(l.run),
    ...get(l.oy), ...get(p.strideHeight), ...op.i32Mul, ...get(p.padTop), ...op.i32Sub, ...get(l.ky), ...get(p.dilationHeight), ...op.i32Mul, ...op.i32Add, ...set(l.iy),
    ...get(l.ox), ...get(p.strideWidth), ...op.i32Mul, ...get(p.padLeft), ...op.i32Sub, ...get(l.kx), ...get(p.dilationWidth), ...op.i32Mul, ...op.i32Add, ...set(l.ix),
    ...get(l.iy), ...get(p.height), ...op.i32LtU,
    ...op.if,
    // lo: the run's pixels left of the image, ceil(−ix / stride); hi: those left of its right edge, ceil((width − ix) / stride); both within [0, run].
    ...pixelsWithin(l.lo, [...get(l.ix), ...op.i32Const(0), ...op.i32LtS], [...op.i32Const(0), ...get(l.ix), ...op.i32Sub]),
    ...min(get(l.lo), get(l.run)), ...set(l.lo),
    ...pixelsWithin(l.hi, [...get(p.width), ...get(l.ix), ...op.i32GtS], [...get(p.width), ...get(l.ix), ...op.i32Sub]),
    ...min(get(l.hi), get(l.run)), ...set(l.hi),
    // hi ≥ lo
    ...get(l.hi), ...get(l.lo), ...get(l.hi), ...get(l.lo), ...op.i32GtS, ...op.select, ...set(l.hi),
    ...zeros(get(l.lo)),
    // The first inside value: row iy, column ix + lo·stride, of this tap's channel.
    ...get(l.imageAt), ...get(l.iy), ...get(l.rowBytes), ...op.i32Mul, ...op.i32Add,
    ...get(l.ix), ...get(l.lo), ...get(p.strideWidth), ...op.i32Mul, ...op.i32Add, ...get(l.channelBytes), ...op.i32Mul, ...op.i32Add, ...set(l.source),
    ...copies([...get(l.hi), ...get(l.lo), ...op.i32Sub]),
    ...zeros([...get(l.run), ...get(l.hi), ...op.i32Sub]),
    ...op.else,
    ...zeros(get(l.run)),
    ...op.end,
    ...get(l.remaining), ...get(l.run), ...op.i32Sub, ...set(l.remaining),
    ...op.i32Const(0), ...set(l.ox),
    ...addTo(l.oy, op.i32Const(1)),
    ...get(l.oy), ...get(p.outHeight), ...op.i32GeU,
    ...op.if,
    ...op.i32Const(0), ...set(l.oy),
    ...addTo(l.imageAt, get(l.imageBytes)),
    ...op.end,
  ];
  const tap = [
    ...get(l.rowStart), ...set(l.out),
    // The first pixel's image (its channel's first float) and position.
    ...get(p.image), ...get(p.firstPixel), ...get(l.pixelsPerImage), ...op.i32DivU, ...get(l.imageBytes), ...op.i32Mul, ...op.i32Add,
    ...get(l.channel), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...set(l.imageAt),
    ...get(p.firstPixel), ...get(l.pixelsPerImage), ...op.i32RemU, ...get(p.outWidth), ...op.i32DivU, ...set(l.oy),
    ...get(p.firstPixel), ...get(p.outWidth), ...op.i32RemU, ...set(l.ox),
    ...get(p.pixelCount), ...set(l.remaining),
    ...whileNot([...get(l.remaining), ...op.i32Eqz], run),
    ...addTo(l.rowStart, [...get(pitch), ...op.i32Const(2), ...op.i32Shl]),
    ...addTo(l.channel, op.i32Const(1)),
  ];
  const body = [
    ...get(p.channels), ...op.i32Const(2), ...op.i32Shl, ...set(l.channelBytes),
    ...get(p.width), ...get(l.channelBytes), ...op.i32Mul, ...set(l.rowBytes),
    ...get(p.height), ...get(l.rowBytes), ...op.i32Mul, ...set(l.imageBytes),
    ...get(p.strideWidth), ...get(l.channelBytes), ...op.i32Mul, ...set(l.step),
    ...get(p.outHeight), ...get(p.outWidth), ...op.i32Mul, ...set(l.pixelsPerImage),
    ...get(p.rows), ...set(l.rowStart),
    ...op.i32Const(0), ...set(l.ky),
    ...whileNot([...get(l.ky), ...get(p.kernelHeight), ...op.i32GeU], [
      ...op.i32Const(0), ...set(l.kx),
      ...whileNot([...get(l.kx), ...get(p.kernelWidth), ...op.i32GeU], [
        ...op.i32Const(0), ...set(l.channel),
        ...whileNot([...get(l.channel), ...get(p.channels), ...op.i32GeU], tap),
        ...addTo(l.kx, op.i32Const(1)),
      ]),
      ...addTo(l.ky, op.i32Const(1)),
    ]),
  ];
  return {
    name: 'im2colTransposed',
    params: [...IM2COL_PARAMETERS.map(() => type.i32), type.i32],
    results: [],
    locals: localNames.map(() => type.i32),
    body,
  };
}

/** The parameters of `col2im`, in order. */
export const COL2IM_PARAMETERS = [
  'cols', 'colsStride', 'image', 'height', 'width', 'channels', 'kernelHeight', 'kernelWidth', 'strideHeight', 'strideWidth',
  'padTop', 'padLeft', 'dilationHeight', 'dilationWidth', 'outHeight', 'outWidth', 'firstImage', 'images',
] as const;

/**
 * im2col's adjoint: sets `images` images of the NHWC image from `firstImage`
 * on to 0, then adds each row of `cols` (one per output pixel of those
 * images, `colsStride` floats apart, laid out as im2col's rows) back onto the
 * input values its window read. A convolution's input gradient is this of
 * dy times the filter's transpose. Images are independent, so threads that
 * take different images never write the same float.
 */
export function col2imFunction() {
  const p = Object.fromEntries(COL2IM_PARAMETERS.map((name, i) => [name, i])) as Record<(typeof COL2IM_PARAMETERS)[number], number>;
  const first = COL2IM_PARAMETERS.length;
  const localNames = ['n', 'oy', 'ox', 'ky', 'kx', 'iy', 'ix', 'row', 'source', 'target', 'end', 'base', 'channelBytes', 'imageBytes', 'rowBytes', 'inside'] as const;
  const l = Object.fromEntries(localNames.map((name, i) => [name, first + i])) as Record<(typeof localNames)[number], number>;
  const get = op.localGet;
  const set = op.localSet;
  /** target[0 … length) += source[0 … length), bytes; both pointers moved past them. */
  const addInto = (length: Bytes) => [
    ...get(l.target), ...length, ...op.i32Add, ...set(l.end),
    ...whileNot([...get(l.target), ...op.i32Const(16), ...op.i32Add, ...get(l.end), ...op.i32GtU], [
      ...get(l.target), ...get(l.target), ...op.v128Load(0), ...get(l.source), ...op.v128Load(0), ...op.f32x4Add, ...op.v128Store(0),
      ...addTo(l.target, op.i32Const(16)), ...addTo(l.source, op.i32Const(16)),
    ]),
    ...whileNot([...get(l.target), ...get(l.end), ...op.i32GeU], [
      ...get(l.target), ...get(l.target), ...op.f32Load(0), ...get(l.source), ...op.f32Load(0), ...op.f32Add, ...op.f32Store(0),
      ...addTo(l.target, op.i32Const(4)), ...addTo(l.source, op.i32Const(4)),
    ]),
  ];
  const position = (start: number, stride: number, pad: number, k: number, dilation: number) => [
    ...get(start), ...get(stride), ...op.i32Mul, ...get(pad), ...op.i32Sub, ...get(k), ...get(dilation), ...op.i32Mul, ...op.i32Add,
  ];
  const pixelAt = (column: Bytes) => [...get(l.base), ...get(l.iy), ...get(p.width), ...op.i32Mul, ...column, ...op.i32Add, ...get(l.channelBytes), ...op.i32Mul, ...op.i32Add];
  const firstColumn = [...get(l.ox), ...get(p.strideWidth), ...op.i32Mul, ...get(p.padLeft), ...op.i32Sub];
  const tap = [
    ...position(l.ox, p.strideWidth, p.padLeft, l.kx, p.dilationWidth), ...set(l.ix),
    ...get(l.inside), ...get(l.ix), ...get(p.width), ...op.i32LtU, ...op.i32And,
    ...op.if,
    ...pixelAt(get(l.ix)), ...set(l.target),
    ...addInto(get(l.channelBytes)),
    ...op.else,
    ...addTo(l.source, get(l.channelBytes)),
    ...op.end,
    ...addTo(l.kx, op.i32Const(1)),
  ];
  // With column dilation 1, a kernel row wholly inside the image adds kernelWidth·channels consecutive floats at once.
  const wholeRowInside = [
    ...get(l.inside),
    ...get(p.dilationWidth), ...op.i32Const(1), ...op.i32Eq, ...op.i32And,
    ...firstColumn, ...get(p.width), ...op.i32LtU, ...op.i32And,
    ...firstColumn, ...get(p.kernelWidth), ...op.i32Add, ...op.i32Const(1), ...op.i32Sub, ...get(p.width), ...op.i32LtU, ...op.i32And,
  ];
  const kernelRow = [
    ...position(l.oy, p.strideHeight, p.padTop, l.ky, p.dilationHeight), ...set(l.iy),
    ...get(l.iy), ...get(p.height), ...op.i32LtU, ...set(l.inside),
    ...wholeRowInside,
    ...op.if,
    ...pixelAt(firstColumn), ...set(l.target),
    ...addInto(get(l.rowBytes)),
    ...op.else,
    ...op.i32Const(0), ...set(l.kx),
    ...whileNot([...get(l.kx), ...get(p.kernelWidth), ...op.i32GeU], tap),
    ...op.end,
    ...addTo(l.ky, op.i32Const(1)),
  ];
  const pixel = [
    ...get(l.row), ...set(l.source),
    ...op.i32Const(0), ...set(l.ky),
    ...whileNot([...get(l.ky), ...get(p.kernelHeight), ...op.i32GeU], kernelRow),
    ...addTo(l.row, [...get(p.colsStride), ...op.i32Const(2), ...op.i32Shl]),
    ...addTo(l.ox, op.i32Const(1)),
  ];
  const body = [
    ...get(p.channels), ...op.i32Const(2), ...op.i32Shl, ...set(l.channelBytes),
    ...get(p.kernelWidth), ...get(l.channelBytes), ...op.i32Mul, ...set(l.rowBytes),
    ...get(p.height), ...get(p.width), ...op.i32Mul, ...get(l.channelBytes), ...op.i32Mul, ...set(l.imageBytes),
    ...get(p.image), ...get(p.firstImage), ...get(l.imageBytes), ...op.i32Mul, ...op.i32Add, ...set(l.base),
    // The images to 0 first.
    ...get(l.base), ...set(l.target),
    ...get(l.base), ...get(p.images), ...get(l.imageBytes), ...op.i32Mul, ...op.i32Add, ...set(l.end),
    ...zeroUpTo(l.target, l.end),
    ...get(p.cols), ...set(l.row),
    ...op.i32Const(0), ...set(l.n),
    ...whileNot([...get(l.n), ...get(p.images), ...op.i32GeU], [
      ...op.i32Const(0), ...set(l.oy),
      ...whileNot([...get(l.oy), ...get(p.outHeight), ...op.i32GeU], [
        ...op.i32Const(0), ...set(l.ox),
        ...whileNot([...get(l.ox), ...get(p.outWidth), ...op.i32GeU], pixel),
        ...addTo(l.oy, op.i32Const(1)),
      ]),
      ...addTo(l.base, get(l.imageBytes)),
      ...addTo(l.n, op.i32Const(1)),
    ]),
  ];
  return { name: 'col2im', params: COL2IM_PARAMETERS.map(() => type.i32), results: [], locals: localNames.map(() => type.i32), body };
}
