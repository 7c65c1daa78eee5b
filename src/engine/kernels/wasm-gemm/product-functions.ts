import { addTo, op, type, whileNot, type Bytes } from './wasm-bytes';

/**
 * The product's own functions, as WASM bytes (gemm-module.ts assembles them):
 * packing B into panels and A into tiles, and the two tile loops that
 * multiply them.
 */

export const TILE_ROWS = 4;
export const TILE_COLUMNS = 8;

/** `relaxed-madd` where the engine has relaxed SIMD; `mul-add`, the same loop unfused, for comparison. */
export type MultiplyAdd = 'relaxed-madd' | 'mul-add';

const TILE = Array.from({ length: TILE_ROWS }, (_, r) => r);

/** acc ← acc + x·b, fused where relaxed SIMD is asked for. */
export function multiplyAddInto(multiplyAdd: MultiplyAdd, x: number, b: number, acc: number): Bytes {
  return multiplyAdd === 'relaxed-madd'
    ? [...op.localGet(x), ...op.localGet(b), ...op.localGet(acc), ...op.f32x4RelaxedMadd, ...op.localSet(acc)]
    : [...op.localGet(acc), ...op.localGet(x), ...op.localGet(b), ...op.f32x4Mul, ...op.f32x4Add, ...op.localSet(acc)];
}

/**
 * Locals of a tile of C: its address, its first column (bytes, from the call's first), C's row length in bytes,
 * the bytes of each row the call writes (from its first column), and the accumulator of (row, half).
 */
export interface TileOfC {
  readonly target: number;
  readonly column: number;
  readonly cRowBytes: number;
  readonly columnEnd: number;
  readonly accumulator: (r: number, half: number) => number;
}

/** The accumulators set to C's tile (through `cursor`) when `accumulateIntoC` is not 0, else to 0. */
export function startTile({ target, cRowBytes, accumulator }: TileOfC, accumulateIntoC: number, cursor: number): Bytes {
  return [
    ...op.localGet(accumulateIntoC),
    ...op.if,
    ...op.localGet(target), ...op.localSet(cursor),
    ...TILE.flatMap((r) => [
      ...op.localGet(cursor), ...op.v128Load(0), ...op.localSet(accumulator(r, 0)),
      ...op.localGet(cursor), ...op.v128Load(16), ...op.localSet(accumulator(r, 1)),
      ...addTo(cursor, op.localGet(cRowBytes)),
    ]),
    ...op.else,
    ...TILE.flatMap((r) => [...op.v128Zero, ...op.localSet(accumulator(r, 0)), ...op.v128Zero, ...op.localSet(accumulator(r, 1))]),
    ...op.end,
  ];
}

/**
 * `bytes` (4, 8 or 12: only bits 8 and 4 are read) of the vector in `vector` stored at `target` + `offset`:
 * two floats and then one, as the bits say.
 */
function storeFirstFloats(vector: number, target: number, offset: number, bytes: Bytes): Bytes {
  const bit = (mask: number) => [...bytes, ...op.i32Const(mask), ...op.i32And];
  const storeOne = (at: number, lane: number) => [...op.localGet(target), ...op.localGet(vector), ...op.v128Store32Lane(at, lane)];
  return [
    ...bit(8),
    ...op.if,
    ...op.localGet(target), ...op.localGet(vector), ...op.v128Store64Lane(offset, 0),
    ...bit(4), ...op.if, ...storeOne(offset + 8, 2), ...op.end,
    ...op.else,
    ...bit(4), ...op.if, ...storeOne(offset, 0), ...op.end,
    ...op.end,
  ];
}

/**
 * The accumulators stored to C's tile; `target` ends a tile of rows further down. The columns a call writes
 * may end inside its last panel (C is its own width, not padded, or another lane writes the columns after):
 * there each row stores only its floats, so a tile never writes past them, where another thread may be writing.
 */
export function storeTile({ target, column, cRowBytes, columnEnd, accumulator }: TileOfC): Bytes {
  const rowLeft = [...op.localGet(columnEnd), ...op.localGet(column), ...op.i32Sub];
  const next = addTo(target, op.localGet(cRowBytes));
  const whole = TILE.flatMap((r) => [
    ...op.localGet(target), ...op.localGet(accumulator(r, 0)), ...op.v128Store(0),
    ...op.localGet(target), ...op.localGet(accumulator(r, 1)), ...op.v128Store(16),
    ...next,
  ]);
  const part = TILE.flatMap((r) => [
    // 4–28 bytes left in the row: the first half whole and part of the second, or part of the first.
    ...rowLeft, ...op.i32Const(16), ...op.i32GeU,
    ...op.if,
    ...op.localGet(target), ...op.localGet(accumulator(r, 0)), ...op.v128Store(0),
    ...storeFirstFloats(accumulator(r, 1), target, 16, rowLeft),
    ...op.else,
    ...storeFirstFloats(accumulator(r, 0), target, 0, rowLeft),
    ...op.end,
    ...next,
  ]);
  return [...op.localGet(column), ...op.i32Const(TILE_COLUMNS * 4), ...op.i32Add, ...op.localGet(columnEnd), ...op.i32GtU, ...op.if, ...part, ...op.else, ...whole, ...op.end];
}

/**
 * pack(b, panels, k, n, rowFloats): B's k rows, `rowFloats` floats apart, into
 * n/8 panels of [k×8]. Where n is B's width rounded up to whole panels, the
 * last panel reads past each row's end into the next row (and past B's last
 * row: the caller leaves 8 floats there); those columns only reach padding of C.
 * With `panelWidth` 16 (packWide), panels of [k×16] for wide tiles of C.
 */
export function packFunction(panelWidth: 8 | 16 = TILE_COLUMNS) {
  const [b, panels, k, n, rowFloats] = [0, 1, 2, 3, 4];
  const [column, row, source, rowBytes, columnBytes] = [5, 6, 7, 8, 9];
  const copyRow = [
    ...Array.from({ length: panelWidth / 4 }, (_, v) => [...op.localGet(panels), ...op.localGet(source), ...op.v128Load(16 * v), ...op.v128Store(16 * v)]).flat(),
    ...addTo(panels, op.i32Const(panelWidth * 4)),
    ...addTo(source, op.localGet(rowBytes)),
    ...addTo(row, op.i32Const(1)),
  ];
  const body = [
    ...op.localGet(rowFloats), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(rowBytes),
    ...op.localGet(n), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(columnBytes),
    ...op.i32Const(0), ...op.localSet(column),
    ...whileNot([...op.localGet(column), ...op.localGet(columnBytes), ...op.i32GeU], [
      ...op.localGet(b), ...op.localGet(column), ...op.i32Add, ...op.localSet(source),
      ...op.i32Const(0), ...op.localSet(row),
      ...whileNot([...op.localGet(row), ...op.localGet(k), ...op.i32GeU], copyRow),
      ...addTo(column, op.i32Const(panelWidth * 4)),
    ]),
  ];
  return { name: panelWidth === TILE_COLUMNS ? 'pack' : 'packWide', params: new Array(5).fill(type.i32) as (typeof type.i32)[], results: [], locals: new Array(5).fill(type.i32) as (typeof type.i32)[], body };
}

/**
 * packTransposed(bt, panels, k, n): B given as its transpose Bᵀ [n×k] (a linear layer's weight) into the
 * panels pack makes of B [k×n]: each panel's 8 rows of Bᵀ are read 4 floats at a time and turned into 4 rows of
 * the panel with two 4×4 transposes of vectors. Rows past n repeat Bᵀ's last row and only reach padding of C.
 * Where k is not a multiple of 4, the last step reads up to 3 floats past a row (the caller leaves 4 floats past
 * Bᵀ) and writes up to 3 rows past the panel: into the next panel, which is written after it, or past the last
 * (the caller leaves 3 rows of 8 floats there).
 */
export function packTransposedFunction() {
  const [bt, panels, k, n] = [0, 1, 2, 3];
  const [rowBytes, last, first, offset, out, panelStart] = [4, 5, 6, 7, 8, 9];
  const rowPointer = (j: number) => 10 + j;
  const vectors = (j: number) => 18 + j;
  const [t0, t1, t2, t3] = [22, 23, 24, 25];
  const get = op.localGet;
  const set = op.localSet;
  /** Rows first…first+3 of the panel (half 0) or first+4…first+7 (half 1): 4 floats of each, as 4 rows of the panel's half. */
  const transposeHalf = (half: number) => [
    ...[0, 1, 2, 3].flatMap((j) => [...get(rowPointer(4 * half + j)), ...get(offset), ...op.i32Add, ...op.v128Load(0), ...set(vectors(j))]),
    ...get(vectors(0)), ...get(vectors(1)), ...op.f32x4Shuffle([0, 4, 1, 5]), ...set(t0),
    ...get(vectors(0)), ...get(vectors(1)), ...op.f32x4Shuffle([2, 6, 3, 7]), ...set(t1),
    ...get(vectors(2)), ...get(vectors(3)), ...op.f32x4Shuffle([0, 4, 1, 5]), ...set(t2),
    ...get(vectors(2)), ...get(vectors(3)), ...op.f32x4Shuffle([2, 6, 3, 7]), ...set(t3),
    ...get(out), ...get(t0), ...get(t2), ...op.f32x4Shuffle([0, 1, 4, 5]), ...op.v128Store(16 * half),
    ...get(out), ...get(t0), ...get(t2), ...op.f32x4Shuffle([2, 3, 6, 7]), ...op.v128Store(32 + 16 * half),
    ...get(out), ...get(t1), ...get(t3), ...op.f32x4Shuffle([0, 1, 4, 5]), ...op.v128Store(64 + 16 * half),
    ...get(out), ...get(t1), ...get(t3), ...op.f32x4Shuffle([2, 3, 6, 7]), ...op.v128Store(96 + 16 * half),
  ];
  const body = [
    ...get(k), ...op.i32Const(2), ...op.i32Shl, ...set(rowBytes),
    ...get(bt), ...get(n), ...op.i32Const(1), ...op.i32Sub, ...get(rowBytes), ...op.i32Mul, ...op.i32Add, ...set(last),
    ...get(panels), ...set(panelStart),
    ...op.i32Const(0), ...set(first),
    ...whileNot([...get(first), ...get(n), ...op.i32GeU], [
      // Row pointers of the panel's 8 rows, past the last row clamped to it.
      ...Array.from({ length: TILE_COLUMNS }, (_, j) => j).flatMap((j) => [
        ...get(bt), ...get(first), ...op.i32Const(j), ...op.i32Add, ...get(rowBytes), ...op.i32Mul, ...op.i32Add, ...set(rowPointer(j)),
        ...get(last), ...get(rowPointer(j)), ...get(rowPointer(j)), ...get(last), ...op.i32GtU, ...op.select, ...set(rowPointer(j)),
      ]),
      ...get(panelStart), ...set(out),
      ...op.i32Const(0), ...set(offset),
      ...whileNot([...get(offset), ...get(rowBytes), ...op.i32GeU], [
        ...transposeHalf(0),
        ...transposeHalf(1),
        ...addTo(out, op.i32Const(4 * TILE_COLUMNS * 4)),
        ...addTo(offset, op.i32Const(16)),
      ]),
      ...addTo(panelStart, [...get(k), ...op.i32Const(TILE_COLUMNS * 4), ...op.i32Mul]),
      ...addTo(first, op.i32Const(TILE_COLUMNS)),
    ]),
  ];
  return {
    name: 'packTransposed',
    params: new Array<number>(4).fill(type.i32) as (typeof type.i32)[],
    results: [],
    locals: [...new Array<number>(6 + TILE_COLUMNS).fill(type.i32), ...new Array<number>(8).fill(type.v128)] as (typeof type.i32 | typeof type.v128)[],
    body,
  };
}

export function gemmFunction(multiplyAdd: MultiplyAdd) {
  const [a, aStride, aColumnStride, panels, c, m, k, n, accumulateIntoC, cColumns] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [column, row, offset, panel, cursor, rowBytes, cRowBytes, target, aRowBytes, aStep, columnEnd] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const rowPointer = (r: number) => 21 + r;
  const [b0, b1, x] = [21 + TILE_ROWS, 22 + TILE_ROWS, 23 + TILE_ROWS];
  const accumulator = (r: number, half: number) => 24 + TILE_ROWS + 2 * r + half;
  const rows = TILE;
  const tileOfC = { target, column, cRowBytes, columnEnd, accumulator };
  const accumulate = (acc: number, b: number) => multiplyAddInto(multiplyAdd, x, b, acc);
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
    // The tile of C: c + row·cColumns·4 + column, one row of C apart.
    ...op.localGet(c), ...op.localGet(row), ...op.localGet(cRowBytes), ...op.i32Mul, ...op.i32Add, ...op.localGet(column), ...op.i32Add, ...op.localSet(target),
    ...startTile(tileOfC, accumulateIntoC, cursor),
    ...op.localGet(panel), ...op.localSet(cursor),
    ...op.i32Const(0), ...op.localSet(offset),
    ...whileNot([...op.localGet(offset), ...op.localGet(rowBytes), ...op.i32GeU], stepOfK),
    ...storeTile(tileOfC),
    ...addTo(row, op.i32Const(TILE_ROWS)),
  ];
  const body = [
    // rowBytes: how far the walk along a row of A goes, aStep apart.
    ...op.localGet(aColumnStride), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(aStep),
    ...op.localGet(k), ...op.localGet(aStep), ...op.i32Mul, ...op.localSet(rowBytes),
    ...op.localGet(aStride), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(aRowBytes),
    ...op.localGet(cColumns), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(cRowBytes),
    ...op.localGet(n), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(columnEnd),
    ...op.localGet(panels), ...op.localSet(panel),
    ...op.i32Const(0), ...op.localSet(column),
    ...whileNot([...op.localGet(column), ...op.localGet(columnEnd), ...op.i32GeU], [
      ...op.i32Const(0), ...op.localSet(row),
      ...whileNot([...op.localGet(row), ...op.localGet(m), ...op.i32GeU], tile),
      // The next panel: k rows of 8 floats on.
      ...addTo(panel, [...op.localGet(k), ...op.i32Const(TILE_COLUMNS * 4), ...op.i32Mul]),
      ...addTo(column, op.i32Const(TILE_COLUMNS * 4)),
    ]),
  ];
  return {
    name: 'gemm',
    params: new Array<number>(10).fill(type.i32) as (typeof type.i32)[],
    results: [],
    locals: [...new Array<number>(11 + TILE_ROWS).fill(type.i32), ...new Array<number>(3 + 2 * TILE_ROWS).fill(type.v128)] as (typeof type.i32 | typeof type.v128)[],
    body,
  };
}

/**
 * A [rows×k] (rows a multiple of 4, A[i][j] at a + (i·aStride + j·aColumnStride)·4) into tiles of 4 rows,
 * k-major: out[(t·k + j)·4 + r] = A[4t + r][j]. Where the 4 rows of a tile are adjacent floats (aStride 1, as
 * im2col read transposed is) each step is one vector copy.
 */
export function packAFunction() {
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
export function gemmPackedFunction(multiplyAdd: MultiplyAdd) {
  const [a, panels, c, m, k, n, accumulateIntoC, cColumns] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [column, row, ap, panel, cursor, cRowBytes, target, end, tileBytes, columnEnd] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const [b0, b1, x] = [18, 19, 20];
  const accumulator = (r: number, half: number) => 21 + 2 * r + half;
  const rows = TILE;
  const get = op.localGet;
  const set = op.localSet;
  const tileOfC = { target, column, cRowBytes, columnEnd, accumulator };
  const accumulate = (acc: number, b: number) => multiplyAddInto(multiplyAdd, x, b, acc);
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
    ...startTile(tileOfC, accumulateIntoC, cursor),
    ...get(panel), ...set(cursor),
    ...whileNot([...get(ap), ...get(end), ...op.i32GeU], stepOfK),
    ...storeTile(tileOfC),
    ...addTo(row, op.i32Const(TILE_ROWS)),
  ];
  const body = [
    ...get(cColumns), ...op.i32Const(2), ...op.i32Shl, ...set(cRowBytes),
    ...get(n), ...op.i32Const(2), ...op.i32Shl, ...set(columnEnd),
    ...get(k), ...op.i32Const(TILE_ROWS * 4), ...op.i32Mul, ...set(tileBytes),
    ...get(panels), ...set(panel),
    ...op.i32Const(0), ...set(column),
    ...whileNot([...get(column), ...get(columnEnd), ...op.i32GeU], [
      ...op.i32Const(0), ...set(row),
      ...whileNot([...get(row), ...get(m), ...op.i32GeU], tile),
      ...addTo(panel, [...get(k), ...op.i32Const(TILE_COLUMNS * 4), ...op.i32Mul]),
      ...addTo(column, op.i32Const(TILE_COLUMNS * 4)),
    ]),
  ];
  return {
    name: 'gemmPacked',
    params: new Array<number>(8).fill(type.i32) as (typeof type.i32)[],
    results: [],
    locals: [...new Array<number>(10).fill(type.i32), ...new Array<number>(3 + 2 * TILE_ROWS).fill(type.v128)] as (typeof type.i32 | typeof type.v128)[],
    body,
  };
}
