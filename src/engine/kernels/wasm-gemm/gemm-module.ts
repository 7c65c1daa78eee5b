import { addTo, assembleModule, op, type, whileNot, type Bytes, type MemorySpec } from './wasm-bytes';

/**
 * A matrix product written for WASM's relaxed SIMD: C = A·B in float32, row
 * major, on tiles of 4 rows × 8 columns held in 8 vector registers, one fused
 * multiply-add per register per step of k. XNNPACK, which the WASM backend
 * multiplies with, issues a separate multiply and add (its build predates
 * relaxed SIMD), which on x64 needs more registers and instructions: on the
 * development machine V8 runs this loop at ~1.5× XNNPACK's rate (README,
 * Benchmark).
 *
 * The module works on padded operands that the caller lays out in its memory
 * (relaxed-gemm.ts): A with a multiple of 4 rows, B and C with a multiple of
 * 8 columns, so every tile is whole. Padding rows and columns may hold
 * anything; they only reach padding of C.
 *
 *   pack(b, panels, k, n): B [k×n] → n/8 panels of [k×8], each contiguous.
 *   gemm(a, aStride, aColumnStride, panels, c, m, k, n, accumulate): C [m×n]
 *     = A [m×k] · packed B, or C += A·B if accumulate is not 0. A[i][j] is
 *     the float at a + i·aStride + j·aColumnStride: (k, 1) for a row-major
 *     matrix, (1, m) for a transposed one, wider for a block of columns.
 *   im2col(...): rows of A for a convolution (see im2colFunction).
 *   im2colTransposed(..., pitch): the same, transposed (see im2colTransposedFunction).
 *   col2im(...): im2col's adjoint, for input gradients (see col2imFunction).
 *   packA(a, aStride, aColumnStride, rows, k, out) and gemmPacked(aPacked, panels, c, m, k, n, accumulate): the
 *     same product with A packed into tiles of 4 rows first (see packAFunction).
 *   copyRows(source, target, rows, width, sourceStride, targetStride): in
 *     floats, to pad B's rows to whole panels and unpad C's.
 * All pointers are byte addresses in the module's exported memory.
 */

export const TILE_ROWS = 4;
export const TILE_COLUMNS = 8;

/** `relaxed-madd` where the engine has relaxed SIMD; `mul-add`, the same loop unfused, for comparison. */
export type MultiplyAdd = 'relaxed-madd' | 'mul-add';

function packFunction() {
  const [b, panels, k, n] = [0, 1, 2, 3];
  const [column, row, source, rowBytes] = [4, 5, 6, 7];
  const copyRow = [
    ...op.localGet(panels), ...op.localGet(source), ...op.v128Load(0), ...op.v128Store(0),
    ...op.localGet(panels), ...op.localGet(source), ...op.v128Load(16), ...op.v128Store(16),
    ...addTo(panels, op.i32Const(TILE_COLUMNS * 4)),
    ...addTo(source, op.localGet(rowBytes)),
    ...addTo(row, op.i32Const(1)),
  ];
  const body = [
    ...op.localGet(n), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(rowBytes),
    ...op.i32Const(0), ...op.localSet(column),
    ...whileNot([...op.localGet(column), ...op.localGet(rowBytes), ...op.i32GeU], [
      ...op.localGet(b), ...op.localGet(column), ...op.i32Add, ...op.localSet(source),
      ...op.i32Const(0), ...op.localSet(row),
      ...whileNot([...op.localGet(row), ...op.localGet(k), ...op.i32GeU], copyRow),
      ...addTo(column, op.i32Const(TILE_COLUMNS * 4)),
    ]),
  ];
  return { name: 'pack', params: [type.i32, type.i32, type.i32, type.i32], results: [], locals: [type.i32, type.i32, type.i32, type.i32], body };
}

function gemmFunction(multiplyAdd: MultiplyAdd) {
  const [a, aStride, aColumnStride, panels, c, m, k, n, accumulateIntoC] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [column, row, offset, panel, cursor, rowBytes, cRowBytes, target, aRowBytes, aStep] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const rowPointer = (r: number) => 19 + r;
  const [b0, b1, x] = [19 + TILE_ROWS, 20 + TILE_ROWS, 21 + TILE_ROWS];
  const accumulator = (r: number, half: number) => 22 + TILE_ROWS + 2 * r + half;
  const rows = Array.from({ length: TILE_ROWS }, (_, r) => r);

  const accumulate = (acc: number, b: number): Bytes =>
    multiplyAdd === 'relaxed-madd'
      ? [...op.localGet(x), ...op.localGet(b), ...op.localGet(acc), ...op.f32x4RelaxedMadd, ...op.localSet(acc)]
      : [...op.localGet(acc), ...op.localGet(x), ...op.localGet(b), ...op.f32x4Mul, ...op.f32x4Add, ...op.localSet(acc)];
  const stepOfK = [
    ...op.localGet(cursor), ...op.v128Load(0), ...op.localSet(b0),
    ...op.localGet(cursor), ...op.v128Load(16), ...op.localSet(b1),
    ...addTo(cursor, op.i32Const(TILE_COLUMNS * 4)),
    ...rows.flatMap((r) => [
      ...op.localGet(rowPointer(r)), ...op.localGet(offset), ...op.i32Add, ...op.v128Load32Splat(0), ...op.localSet(x),
      ...accumulate(accumulator(r, 0), b0),
      ...accumulate(accumulator(r, 1), b1),
    ]),
    ...addTo(offset, op.localGet(aStep)),
  ];
  const tile = [
    // Row pointers: a + row·aStride·4, then one row of A apart.
    ...op.localGet(a), ...op.localGet(row), ...op.localGet(aRowBytes), ...op.i32Mul, ...op.i32Add, ...op.localSet(rowPointer(0)),
    ...rows.slice(1).flatMap((r) => [...op.localGet(rowPointer(r - 1)), ...op.localGet(aRowBytes), ...op.i32Add, ...op.localSet(rowPointer(r))]),
    // The tile of C: c + row·n·4 + column, one row of C apart.
    ...op.localGet(c), ...op.localGet(row), ...op.localGet(cRowBytes), ...op.i32Mul, ...op.i32Add, ...op.localGet(column), ...op.i32Add, ...op.localSet(target),
    ...op.localGet(accumulateIntoC),
    ...op.if,
    ...op.localGet(target), ...op.localSet(cursor),
    ...rows.flatMap((r) => [
      ...op.localGet(cursor), ...op.v128Load(0), ...op.localSet(accumulator(r, 0)),
      ...op.localGet(cursor), ...op.v128Load(16), ...op.localSet(accumulator(r, 1)),
      ...addTo(cursor, op.localGet(cRowBytes)),
    ]),
    ...op.else,
    ...rows.flatMap((r) => [...op.v128Zero, ...op.localSet(accumulator(r, 0)), ...op.v128Zero, ...op.localSet(accumulator(r, 1))]),
    ...op.end,
    ...op.localGet(panel), ...op.localSet(cursor),
    ...op.i32Const(0), ...op.localSet(offset),
    ...whileNot([...op.localGet(offset), ...op.localGet(rowBytes), ...op.i32GeU], stepOfK),
    ...rows.flatMap((r) => [
      ...op.localGet(target), ...op.localGet(accumulator(r, 0)), ...op.v128Store(0),
      ...op.localGet(target), ...op.localGet(accumulator(r, 1)), ...op.v128Store(16),
      ...addTo(target, op.localGet(cRowBytes)),
    ]),
    ...addTo(row, op.i32Const(TILE_ROWS)),
  ];
  const body = [
    // rowBytes: how far the walk along a row of A goes, aStep apart.
    ...op.localGet(aColumnStride), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(aStep),
    ...op.localGet(k), ...op.localGet(aStep), ...op.i32Mul, ...op.localSet(rowBytes),
    ...op.localGet(aStride), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(aRowBytes),
    ...op.localGet(n), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(cRowBytes),
    ...op.localGet(panels), ...op.localSet(panel),
    ...op.i32Const(0), ...op.localSet(column),
    ...whileNot([...op.localGet(column), ...op.localGet(cRowBytes), ...op.i32GeU], [
      ...op.i32Const(0), ...op.localSet(row),
      ...whileNot([...op.localGet(row), ...op.localGet(m), ...op.i32GeU], tile),
      // The next panel: k rows of 8 floats on.
      ...addTo(panel, [...op.localGet(k), ...op.i32Const(TILE_COLUMNS * 4), ...op.i32Mul]),
      ...addTo(column, op.i32Const(TILE_COLUMNS * 4)),
    ]),
  ];
  return {
    name: 'gemm',
    params: new Array<number>(9).fill(type.i32) as (typeof type.i32)[],
    results: [],
    locals: [...new Array<number>(10 + TILE_ROWS).fill(type.i32), ...new Array<number>(3 + 2 * TILE_ROWS).fill(type.v128)] as (typeof type.i32 | typeof type.v128)[],
    body,
  };
}

/**
 * A [rows×k] (rows a multiple of 4, A[i][j] at a + (i·aStride + j·aColumnStride)·4) into tiles of 4 rows,
 * k-major: out[(t·k + j)·4 + r] = A[4t + r][j]. Where the 4 rows of a tile are adjacent floats (aStride 1, as
 * im2col read transposed is) each step is one vector copy.
 */
function packAFunction() {
  const [a, aStride, aColumnStride, rows, k, out] = [0, 1, 2, 3, 4, 5];
  const [tile, source, step, end, rowStep, tileStep] = [6, 7, 8, 9, 10, 11];
  const get = op.localGet;
  const set = op.localSet;
  const copyStep = [
    ...get(aStride), ...op.i32Const(1), ...op.i32Eq,
    ...op.if,
    ...get(out), ...get(source), ...op.v128Load(0), ...op.v128Store(0),
    ...op.else,
    ...[0, 1, 2, 3].flatMap((r) => [
      ...get(out), ...get(source), ...(r === 0 ? [] : [...get(rowStep), ...op.i32Const(r), ...op.i32Mul, ...op.i32Add]), ...op.f32Load(0), ...op.f32Store(4 * r),
    ]),
    ...op.end,
    ...addTo(out, op.i32Const(16)),
    ...addTo(source, get(step)),
  ];
  const body = [
    ...get(aColumnStride), ...op.i32Const(2), ...op.i32Shl, ...set(step),
    ...get(aStride), ...op.i32Const(2), ...op.i32Shl, ...set(rowStep),
    ...get(rowStep), ...op.i32Const(4), ...op.i32Mul, ...set(tileStep),
    ...op.i32Const(0), ...set(tile),
    ...whileNot([...get(tile), ...get(rows), ...op.i32GeU], [
      ...get(a), ...set(source),
      ...get(out), ...get(k), ...op.i32Const(16), ...op.i32Mul, ...op.i32Add, ...set(end),
      ...whileNot([...get(out), ...get(end), ...op.i32GeU], copyStep),
      ...addTo(a, get(tileStep)),
      ...addTo(tile, op.i32Const(4)),
    ]),
  ];
  return { name: 'packA', params: new Array(6).fill(type.i32) as (typeof type.i32)[], results: [], locals: new Array(6).fill(type.i32) as (typeof type.i32)[], body };
}

/**
 * C [rows×n] = A · packed B (or C += A·B if accumulate is not 0), with A packed by packA: each tile's 4 rows
 * are read from one pointer at fixed offsets, which saves the per-row address arithmetic of gemm (measured 5–12%
 * faster than gemm on the same operands).
 */
function gemmPackedFunction(multiplyAdd: MultiplyAdd) {
  const [a, panels, c, m, k, n, accumulateIntoC] = [0, 1, 2, 3, 4, 5, 6];
  const [column, row, ap, panel, cursor, cRowBytes, target, end, tileBytes] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
  const [b0, b1, x] = [16, 17, 18];
  const accumulator = (r: number, half: number) => 19 + 2 * r + half;
  const rows = Array.from({ length: TILE_ROWS }, (_, r) => r);
  const get = op.localGet;
  const set = op.localSet;
  const accumulate = (acc: number, b: number): Bytes =>
    multiplyAdd === 'relaxed-madd'
      ? [...get(x), ...get(b), ...get(acc), ...op.f32x4RelaxedMadd, ...set(acc)]
      : [...get(acc), ...get(x), ...get(b), ...op.f32x4Mul, ...op.f32x4Add, ...set(acc)];
  const stepOfK = [
    ...get(cursor), ...op.v128Load(0), ...set(b0),
    ...get(cursor), ...op.v128Load(16), ...set(b1),
    ...rows.flatMap((r) => [...get(ap), ...op.v128Load32Splat(4 * r), ...set(x), ...accumulate(accumulator(r, 0), b0), ...accumulate(accumulator(r, 1), b1)]),
    ...addTo(cursor, op.i32Const(TILE_COLUMNS * 4)),
    ...addTo(ap, op.i32Const(TILE_ROWS * 4)),
  ];
  const tile = [
    ...get(a), ...get(row), ...get(k), ...op.i32Mul, ...op.i32Const(4), ...op.i32Mul, ...op.i32Add, ...set(ap),
    ...get(ap), ...get(tileBytes), ...op.i32Add, ...set(end),
    ...get(c), ...get(row), ...get(cRowBytes), ...op.i32Mul, ...op.i32Add, ...get(column), ...op.i32Add, ...set(target),
    ...get(accumulateIntoC),
    ...op.if,
    ...get(target), ...set(cursor),
    ...rows.flatMap((r) => [
      ...get(cursor), ...op.v128Load(0), ...set(accumulator(r, 0)),
      ...get(cursor), ...op.v128Load(16), ...set(accumulator(r, 1)),
      ...addTo(cursor, get(cRowBytes)),
    ]),
    ...op.else,
    ...rows.flatMap((r) => [...op.v128Zero, ...set(accumulator(r, 0)), ...op.v128Zero, ...set(accumulator(r, 1))]),
    ...op.end,
    ...get(panel), ...set(cursor),
    ...whileNot([...get(ap), ...get(end), ...op.i32GeU], stepOfK),
    ...rows.flatMap((r) => [
      ...get(target), ...get(accumulator(r, 0)), ...op.v128Store(0),
      ...get(target), ...get(accumulator(r, 1)), ...op.v128Store(16),
      ...addTo(target, get(cRowBytes)),
    ]),
    ...addTo(row, op.i32Const(TILE_ROWS)),
  ];
  const body = [
    ...get(n), ...op.i32Const(2), ...op.i32Shl, ...set(cRowBytes),
    ...get(k), ...op.i32Const(TILE_ROWS * 4), ...op.i32Mul, ...set(tileBytes),
    ...get(panels), ...set(panel),
    ...op.i32Const(0), ...set(column),
    ...whileNot([...get(column), ...get(cRowBytes), ...op.i32GeU], [
      ...op.i32Const(0), ...set(row),
      ...whileNot([...get(row), ...get(m), ...op.i32GeU], tile),
      ...addTo(panel, [...get(k), ...op.i32Const(TILE_COLUMNS * 4), ...op.i32Mul]),
      ...addTo(column, op.i32Const(TILE_COLUMNS * 4)),
    ]),
  ];
  return {
    name: 'gemmPacked',
    params: new Array<number>(7).fill(type.i32) as (typeof type.i32)[],
    results: [],
    locals: [...new Array<number>(9).fill(type.i32), ...new Array<number>(3 + 2 * TILE_ROWS).fill(type.v128)] as (typeof type.i32 | typeof type.v128)[],
    body,
  };
}

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
function im2colFunction() {
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
function im2colTransposedFunction() {
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
  // One run: the pixels of output row oy from ox on, `run` of them.
  const run = [
    ...min([...get(p.outWidth), ...get(l.ox), ...op.i32Sub], get(l.remaining)), ...set(l.run),
    ...get(l.oy), ...get(p.strideHeight), ...op.i32Mul, ...get(p.padTop), ...op.i32Sub, ...get(l.ky), ...get(p.dilationHeight), ...op.i32Mul, ...op.i32Add, ...set(l.iy),
    ...get(l.ox), ...get(p.strideWidth), ...op.i32Mul, ...get(p.padLeft), ...op.i32Sub, ...get(l.kx), ...get(p.dilationWidth), ...op.i32Mul, ...op.i32Add, ...set(l.ix),
    ...get(l.iy), ...get(p.height), ...op.i32LtU,
    ...op.if,
    // lo: the run's pixels left of the image, ceil(−ix / stride); hi: those left of its right edge, ceil((width − ix) / stride); both within [0, run].
    ...get(l.ix), ...op.i32Const(0), ...op.i32LtS,
    ...op.if,
    ...op.i32Const(0), ...get(l.ix), ...op.i32Sub, ...get(p.strideWidth), ...op.i32Add, ...op.i32Const(1), ...op.i32Sub, ...get(p.strideWidth), ...op.i32DivU, ...set(l.lo),
    ...op.else,
    ...op.i32Const(0), ...set(l.lo),
    ...op.end,
    ...min(get(l.lo), get(l.run)), ...set(l.lo),
    ...get(p.width), ...get(l.ix), ...op.i32GtS,
    ...op.if,
    ...get(p.width), ...get(l.ix), ...op.i32Sub, ...get(p.strideWidth), ...op.i32Add, ...op.i32Const(1), ...op.i32Sub, ...get(p.strideWidth), ...op.i32DivU, ...set(l.hi),
    ...op.else,
    ...op.i32Const(0), ...set(l.hi),
    ...op.end,
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
function col2imFunction() {
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

function copyRowsFunction() {
  const [source, target, rows, width, sourceStride, targetStride] = [0, 1, 2, 3, 4, 5];
  const [row, from, to, end, widthBytes] = [6, 7, 8, 9, 10];
  const get = op.localGet;
  const set = op.localSet;
  // Row by row, 4 floats at a time and then one: this unpads every convolution whose output channels are not whole panels.
  const body = [
    ...get(width), ...op.i32Const(2), ...op.i32Shl, ...set(widthBytes),
    ...op.i32Const(0), ...set(row),
    ...whileNot([...get(row), ...get(rows), ...op.i32GeU], [
      ...get(source), ...get(row), ...get(sourceStride), ...op.i32Mul, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...set(from),
      ...get(target), ...get(row), ...get(targetStride), ...op.i32Mul, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...set(to),
      ...get(to), ...get(widthBytes), ...op.i32Add, ...set(end),
      ...whileNot([...get(to), ...op.i32Const(16), ...op.i32Add, ...get(end), ...op.i32GtU], [
        ...get(to), ...get(from), ...op.v128Load(0), ...op.v128Store(0),
        ...addTo(to, op.i32Const(16)), ...addTo(from, op.i32Const(16)),
      ]),
      ...whileNot([...get(to), ...get(end), ...op.i32GeU], [
        ...get(to), ...get(from), ...op.f32Load(0), ...op.f32Store(0),
        ...addTo(to, op.i32Const(4)), ...addTo(from, op.i32Const(4)),
      ]),
      ...addTo(row, op.i32Const(1)),
    ]),
  ];
  return { name: 'copyRows', params: new Array(6).fill(type.i32) as (typeof type.i32)[], results: [], locals: [type.i32, type.i32, type.i32, type.i32, type.i32], body };
}

const gemmFunctions = (multiplyAdd: MultiplyAdd) => [
  packFunction(),
  gemmFunction(multiplyAdd),
  im2colFunction(),
  copyRowsFunction(),
  im2colTransposedFunction(),
  col2imFunction(),
  packAFunction(),
  gemmPackedFunction(multiplyAdd),
];

type GemmFunctionName = 'pack' | 'gemm' | 'im2col' | 'copyRows' | 'im2colTransposed' | 'col2im' | 'packA' | 'gemmPacked';

/** The exported functions in the order of the module's function indices, and how many arguments each takes. */
export const GEMM_FUNCTIONS: readonly { readonly name: GemmFunctionName; readonly argumentCount: number }[] = gemmFunctions('mul-add').map((f) => ({
  name: f.name as GemmFunctionName,
  argumentCount: f.params.length,
}));

/**
 * The module's bytes: GEMM_FUNCTIONS over a memory of its own (one page,
 * grown by the caller), or over an imported shared memory for instances on
 * several threads (gemm-threads.ts).
 */
export function gemmModuleBytes(multiplyAdd: MultiplyAdd, memory: MemorySpec = { kind: 'own', pages: 1 }): Uint8Array<ArrayBuffer> {
  return assembleModule(gemmFunctions(multiplyAdd), memory);
}
