import { indices } from './frame-functions';
import { TILE_COLUMNS } from './product-functions';
import { addTo, op, type, whileNot, type Bytes, type ValueType } from './wasm-bytes';

/**
 * Winograd's F(2×2, 3×3) for 3×3 convolutions at stride 1, as WASM bytes
 * (gemm-module.ts assembles them; winograd-convolution.ts calls them). A 2×2
 * tile of output pixels is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, d the 4×4 patch of the
 * padded image under it: 16 products per channel pair instead of 36. Summed
 * over input channels, each of the 16 positions ξ of the 4×4 transform is a
 * matrix product M_ξ [tiles × out] = V_ξ [tiles × in] · U_ξ [in × out], which
 * the product's gemmPacked takes. Every transform is one vector for 4 channels.
 *
 *   winogradFilter(filter, u, channels, outChannels, rows): U_ξ = G g Gᵀ for `rows` input channels of a
 *     [3, 3, channels, outChannels] filter (outChannels a multiple of 8), into the panels gemm reads.
 *   winogradInputInFours(frames, v, images, tilesDown, tilesAcross, frameRowBytes, frameBytes, channels, planeBytes, ...):
 *     V_ξ = Bᵀ d B for every tile of the frames, packed in tiles of 4 tiles for gemmPacked, planes planeBytes apart.
 *   winogradOutput(m, y, images, tilesDown, tilesAcross, outChannels, planeBytes): the output tiles Aᵀ M A into NHWC.
 *
 * The filter gradient runs the same identity backwards: the gradient of U_ξ is Σ over tiles of V_ξ ⊙ (A dy Aᵀ)_ξ, a
 * product W_ξ [in × out] = V_ξᵀ · Ŷ_ξ summed over tiles, and the filter's gradient is Gᵀ W G.
 *   winogradInput(...): the same, V_ξᵀ packed in tiles of 4 channels.
 *   winogradGradientTiles(dy, panels, images, tilesDown, tilesAcross, outChannels, planeBytes, tiles): Ŷ_ξ = A dy Aᵀ
 *     of each 2×2 tile of dy, into gemm's panels of 8 columns, `tiles` rows each.
 *   winogradFilterGradient(w, out, channels, outChannels, rows): out = Gᵀ W G for `rows` input channels.
 */

const i32s = (count: number) => new Array<ValueType>(count).fill(type.i32);
const v128s = (count: number) => new Array<ValueType>(count).fill(type.v128);
const get = op.localGet;
const set = op.localSet;
const add = (a: Bytes, b: Bytes) => [...a, ...b, ...op.f32x4Add];
const sub = (a: Bytes, b: Bytes) => [...a, ...b, ...op.f32x4Sub];
const FOUR = [0, 1, 2, 3];

/** The locals of a walk over the 2×2 tiles of NHWC pixels (pixelBytes a pixel, rowBytes a row of them). */
interface TileWalk {
  readonly images: number;
  readonly tilesDown: number;
  readonly tilesAcross: number;
  readonly image: number;
  readonly ty: number;
  readonly tx: number;
  readonly pixelBytes: number;
  readonly rowBytes: number;
  readonly tileStart: number;
}

/**
 * `tile` for every tile (image, ty, tx) in order, with tileStart at the tile's first pixel (it starts at the first
 * tile's): two pixels on after each tile, and a row of pixels more after each row of tiles.
 */
function overTiles(w: TileWalk, tile: Bytes): Bytes {
  return [
    ...op.i32Const(0), ...set(w.image),
    ...whileNot([...get(w.image), ...get(w.images), ...op.i32GeU], [
      ...op.i32Const(0), ...set(w.ty),
      ...whileNot([...get(w.ty), ...get(w.tilesDown), ...op.i32GeU], [
        ...op.i32Const(0), ...set(w.tx),
        ...whileNot([...get(w.tx), ...get(w.tilesAcross), ...op.i32GeU], [
          ...tile,
          ...addTo(w.tileStart, [...get(w.pixelBytes), ...op.i32Const(1), ...op.i32Shl]),
          ...addTo(w.tx, op.i32Const(1)),
        ]),
        ...addTo(w.tileStart, get(w.rowBytes)),
        ...addTo(w.ty, op.i32Const(1)),
      ]),
      ...addTo(w.image, op.i32Const(1)),
    ]),
  ];
}

/**
 * The 4 rows of G x for a column x of 3 vectors (G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]), with `half` the local that
 * holds ½ in every lane.
 */
function byG(x: readonly Bytes[], half: number): Bytes[] {
  const [x0, x1, x2] = x as [Bytes, Bytes, Bytes];
  const ends = add(x0, x2);
  return [x0, [...add(ends, x1), ...get(half), ...op.f32x4Mul], [...sub(ends, x1), ...get(half), ...op.f32x4Mul], x2];
}

/** The 4 rows of Bᵀ x for a column x of 4 vectors (Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]). */
function byBt(x: readonly Bytes[]): Bytes[] {
  const [x0, x1, x2, x3] = x as [Bytes, Bytes, Bytes, Bytes];
  return [sub(x0, x2), add(x1, x2), sub(x2, x1), sub(x1, x3)];
}

/** The 2 rows of Aᵀ x for a column x of 4 vectors (Aᵀ = [1 1 1 0; 0 1 −1 −1]). */
function byAt(x: readonly Bytes[]): Bytes[] {
  const [x0, x1, x2, x3] = x as [Bytes, Bytes, Bytes, Bytes];
  return [add(add(x0, x1), x2), sub(sub(x1, x2), x3)];
}

const FILTER_PARAMETERS = ['filter', 'u', 'channels', 'outChannels', 'rows'] as const;

/**
 * winogradFilter(filter, u, channels, outChannels, rows): for input channels c < rows of the filter from `filter`
 * on (a [3, 3, channels, outChannels] filter, or a later channel of one), U_ξ[c][o] = (G g Gᵀ)_ξ into
 * 16 planes of channels × outChannels floats from `u` on, each laid out as gemm's panels of 8 columns (u points at
 * the row of the first channel: 32 bytes a row).
 */
export function winogradFilterFunction() {
  const v = indices(FILTER_PARAMETERS, ['row', 'column', 'tapBytes', 'planeBytes', 'from', 'to', 'half'] as const);
  // Then the filter's 9 taps g[i][j], and G g's 12 values.
  const tap = (i: number, j: number) => v.half + 1 + 3 * i + j;
  const gg = (r: number, j: number) => v.half + 10 + 3 * r + j;
  // (G g)[r][j] into locals, column by column; then U[r][s] = (G (G g)ᵀ)[s][r], row r of G g times Gᵀ.
  const intoGg = [0, 1, 2].flatMap((j) => [...byG([0, 1, 2].map((i) => get(tap(i, j))), v.half).flat(), ...[3, 2, 1, 0].flatMap((r) => set(gg(r, j)))]);
  const uRows = FOUR.map((r) => byG([0, 1, 2].map((j) => get(gg(r, j))), v.half));
  const body = [
    ...op.f32Const(0.5), ...op.f32x4Splat, ...set(v.half),
    ...get(v.channels), ...get(v.outChannels), ...op.i32Mul, ...op.i32Const(2), ...op.i32Shl, ...set(v.tapBytes),
    ...get(v.tapBytes), ...set(v.planeBytes),
    ...op.i32Const(0), ...set(v.row),
    ...whileNot([...get(v.row), ...get(v.rows), ...op.i32GeU], [
      ...op.i32Const(0), ...set(v.column),
      ...whileNot([...get(v.column), ...get(v.outChannels), ...op.i32GeU], [
        ...get(v.filter), ...get(v.row), ...get(v.outChannels), ...op.i32Mul, ...get(v.column), ...op.i32Add, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...set(v.from),
        ...Array.from({ length: 9 }, (_, t) => [
          ...get(v.from), ...op.v128Load(0), ...set(tap(Math.floor(t / 3), t % 3)),
          ...addTo(v.from, get(v.tapBytes)),
        ]).flat(),
        ...intoGg,
        // Panel column/8 (channels rows of 32 bytes each), row `row`, its column%8.
        ...get(v.u), ...get(v.column), ...op.i32Const(-TILE_COLUMNS), ...op.i32And, ...op.i32Const(2), ...op.i32Shl, ...get(v.channels), ...op.i32Mul, ...op.i32Add,
        ...get(v.row), ...op.i32Const(TILE_COLUMNS * 4), ...op.i32Mul, ...op.i32Add,
        ...get(v.column), ...op.i32Const(4), ...op.i32And, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...set(v.to),
        ...FOUR.flatMap((r) => FOUR.flatMap((s) => [...get(v.to), ...uRows[r]![s]!, ...op.v128Store(0), ...addTo(v.to, get(v.planeBytes))])),
        ...addTo(v.column, op.i32Const(4)),
      ]),
      ...addTo(v.row, op.i32Const(1)),
    ]),
  ];
  return { name: 'winogradFilter', params: i32s(FILTER_PARAMETERS.length), results: [], locals: [...i32s(6), ...v128s(22)], body };
}

const INPUT_PARAMETERS = [
  'frames', 'v', 'images', 'tilesDown', 'tilesAcross', 'frameRowBytes', 'frameBytes', 'channels', 'planeBytes', 'tileBytes', 'fourthTileBytes', 'groupBytes',
] as const;

/**
 * winogradInput(frames, v, images, tilesDown, tilesAcross, frameRowBytes, frameBytes, channels, planeBytes, tileBytes,
 * fourthTileBytes, groupBytes): for each tile (image, ty, tx) of the images' padded frames (frameBytes apart, rows
 * frameRowBytes apart, `channels` a multiple of 4), V_ξ = Bᵀ d B of the 4×4 patch at row 2ty, column 2tx, tiles
 * numbered t = (image·tilesDown + ty)·tilesAcross + tx. Plane ξ starts at v + ξ·planeBytes; in it, a tile's
 * channels 4g…4g+3 go g·groupBytes past the tile's place, and the next tile's place is tileBytes on, or
 * fourthTileBytes after every fourth tile. `vectors` stores the 4 channels as one vector: with (16, 16, tiles·16)
 * V_ξᵀ comes out packed as packA packs it, in tiles of 4 channels (filter gradients). `lanes` stores them 16 bytes
 * apart (winogradInputInFours): with (4, channels·16 − 12, 64) V_ξ comes out packed in tiles of 4 tiles, for
 * gemmPacked (convolutions).
 */
export function winogradInputFunction(stores: 'vectors' | 'lanes') {
  const v = indices(INPUT_PARAMETERS, ['image', 'ty', 'tx', 'pixelBytes', 'row0', 'row1', 'row2', 'row3', 'end', 'to', 'store', 'tileStart', 'tileTo', 'tile'] as const);
  const rowPointers = [v.row0, v.row1, v.row2, v.row3];
  // Then the patch's 16 vectors, and one to store from.
  const d = (r: number, s: number) => v.tile + 1 + 4 * r + s;
  const stored = v.tile + 17;
  // d[r][s] at rowPointer r + s pixels; Bᵀ d by columns into d, then (Bᵀ d) B by rows.
  const load = FOUR.flatMap((r) => FOUR.flatMap((s) => [
    ...get(rowPointers[r]!), ...(s === 0 ? [] : [...get(v.pixelBytes), ...op.i32Const(s), ...op.i32Mul, ...op.i32Add]), ...op.v128Load(0), ...set(d(r, s)),
  ]));
  const columns = FOUR.map((s) => byBt(FOUR.map((r) => get(d(r, s)))));
  // Bᵀ d is computed into temporaries column by column (d's column s is free once read); then each row's Bᵀ.
  const columnsIntoD = FOUR.flatMap((s) => [...columns[s]!.flatMap((x) => x), ...[3, 2, 1, 0].flatMap((r) => set(d(r, s)))]);
  const storeOne = (x: Bytes) =>
    stores === 'vectors'
      ? [...get(v.store), ...x, ...op.v128Store(0)]
      : [...x, ...set(stored), ...FOUR.flatMap((lane) => [...get(v.store), ...get(stored), ...op.v128Store32Lane(16 * lane, lane)])];
  const storeAll = FOUR.flatMap((r) => byBt(FOUR.map((s) => get(d(r, s)))).flatMap((x) => [...storeOne(x), ...addTo(v.store, get(v.planeBytes))]));
  const group = [
    ...load,
    ...columnsIntoD,
    ...get(v.to), ...set(v.store),
    ...storeAll,
    ...rowPointers.flatMap((p) => addTo(p, op.i32Const(16))),
    ...addTo(v.to, get(v.groupBytes)),
  ];
  const body = [
    ...get(v.channels), ...op.i32Const(2), ...op.i32Shl, ...set(v.pixelBytes),
    ...get(v.v), ...set(v.tileTo),
    ...op.i32Const(0), ...set(v.tile),
    ...op.i32Const(0), ...set(v.image),
    ...whileNot([...get(v.image), ...get(v.images), ...op.i32GeU], [
      ...op.i32Const(0), ...set(v.ty),
      ...whileNot([...get(v.ty), ...get(v.tilesDown), ...op.i32GeU], [
        ...get(v.frames), ...get(v.image), ...get(v.frameBytes), ...op.i32Mul, ...op.i32Add,
        ...get(v.ty), ...op.i32Const(1), ...op.i32Shl, ...get(v.frameRowBytes), ...op.i32Mul, ...op.i32Add, ...set(v.tileStart),
        ...op.i32Const(0), ...set(v.tx),
        ...whileNot([...get(v.tx), ...get(v.tilesAcross), ...op.i32GeU], [
          ...get(v.tileStart), ...set(v.row0),
          ...[1, 2, 3].flatMap((r) => [...get(rowPointers[r - 1]!), ...get(v.frameRowBytes), ...op.i32Add, ...set(rowPointers[r]!)]),
          ...get(v.row0), ...get(v.pixelBytes), ...op.i32Add, ...set(v.end),
          ...get(v.tileTo), ...set(v.to),
          ...whileNot([...get(v.row0), ...get(v.end), ...op.i32GeU], group),
          ...addTo(v.tile, op.i32Const(1)),
          ...addTo(v.tileTo, [...get(v.tileBytes), ...get(v.fourthTileBytes), ...get(v.tile), ...op.i32Const(3), ...op.i32And, ...op.select]),
          ...addTo(v.tileStart, [...get(v.pixelBytes), ...op.i32Const(1), ...op.i32Shl]),
          ...addTo(v.tx, op.i32Const(1)),
        ]),
        ...addTo(v.ty, op.i32Const(1)),
      ]),
      ...addTo(v.image, op.i32Const(1)),
    ]),
  ];
  const name = stores === 'vectors' ? 'winogradInput' : 'winogradInputInFours';
  return { name, params: i32s(INPUT_PARAMETERS.length), results: [], locals: [...i32s(14), ...v128s(17)], body };
}

const OUTPUT_PARAMETERS = ['m', 'y', 'images', 'tilesDown', 'tilesAcross', 'outChannels', 'planeBytes'] as const;

/**
 * winogradOutput(m, y, images, tilesDown, tilesAcross, outChannels, planeBytes): for each tile t (numbered as
 * winogradInput does), the 2×2 output pixels Aᵀ M A of M_ξ's row t (m + ξ·planeBytes + t·outChannels·4, outChannels
 * a multiple of 4) into y, NHWC: image, rows 2ty…2ty+1, columns 2tx…2tx+1, outChannels floats a pixel.
 */
export function winogradOutputFunction() {
  const v = indices(OUTPUT_PARAMETERS, ['image', 'ty', 'tx', 'pixelBytes', 'rowBytes', 'from', 'load', 'to', 'end', 'tileStart'] as const);
  // Then M's 16 vectors of the tile.
  const mOf = (r: number, s: number) => v.tileStart + 1 + 4 * r + s;
  const load = FOUR.flatMap((r) => FOUR.flatMap((s) => [...get(v.load), ...op.v128Load(0), ...set(mOf(r, s)), ...addTo(v.load, get(v.planeBytes))]));
  // Aᵀ M by columns into rows 0 and 1 of M, then each of those rows times A.
  const columnsIntoM = FOUR.flatMap((s) => [...byAt(FOUR.map((r) => get(mOf(r, s)))).flat(), ...set(mOf(1, s)), ...set(mOf(0, s))]);
  const pixelAt = (r: number, s: number) => [
    ...get(v.to), ...(r === 0 ? [] : [...get(v.rowBytes), ...op.i32Add]), ...(s === 0 ? [] : [...get(v.pixelBytes), ...op.i32Add]),
  ];
  const stores = [0, 1].flatMap((r) => byAt(FOUR.map((s) => get(mOf(r, s)))).flatMap((x, s) => [...pixelAt(r, s), ...x, ...op.v128Store(0)]));
  const group = [
    ...get(v.from), ...set(v.load),
    ...load,
    ...columnsIntoM,
    ...stores,
    ...addTo(v.from, op.i32Const(16)),
    ...addTo(v.to, op.i32Const(16)),
  ];
  const body = [
    ...get(v.outChannels), ...op.i32Const(2), ...op.i32Shl, ...set(v.pixelBytes),
    ...get(v.pixelBytes), ...get(v.tilesAcross), ...op.i32Const(1), ...op.i32Shl, ...op.i32Mul, ...set(v.rowBytes),
    ...get(v.m), ...set(v.from),
    ...get(v.y), ...set(v.tileStart),
    ...overTiles(v, [
      ...get(v.tileStart), ...set(v.to),
      ...get(v.from), ...get(v.pixelBytes), ...op.i32Add, ...set(v.end),
      ...whileNot([...get(v.from), ...get(v.end), ...op.i32GeU], group),
    ]),
  ];
  return { name: 'winogradOutput', params: i32s(OUTPUT_PARAMETERS.length), results: [], locals: [...i32s(10), ...v128s(16)], body };
}

const GRADIENT_TILES_PARAMETERS = ['dy', 'panels', 'images', 'tilesDown', 'tilesAcross', 'outChannels', 'planeBytes', 'tiles'] as const;

/** The 4 rows of A x for a column x of 2 vectors (A = [1 0; 1 1; 1 −1; 0 −1]). */
function byA(x: readonly Bytes[]): Bytes[] {
  const [x0, x1] = x as [Bytes, Bytes];
  return [x0, add(x0, x1), sub(x0, x1), [...x1, ...op.f32x4Neg]];
}

/**
 * winogradGradientTiles(dy, panels, images, tilesDown, tilesAcross, outChannels, planeBytes, tiles): for each 2×2 tile
 * of dy (NHWC, outChannels a multiple of 8; tiles numbered as winogradInput numbers them), Ŷ_ξ = A dy Aᵀ into row t of
 * plane ξ (panels + ξ·planeBytes), laid out as gemm's panels of 8 columns of `tiles` rows each.
 */
export function winogradGradientTilesFunction() {
  const v = indices(GRADIENT_TILES_PARAMETERS, ['image', 'ty', 'tx', 'pixelBytes', 'rowBytes', 'from', 'end', 'column', 'to', 'tileStart', 'row'] as const);
  // Then dy's 4 vectors of the tile, and A dy's 8.
  const dyOf = (a: number, b: number) => v.row + 1 + 2 * a + b;
  const aDy = (r: number, b: number) => v.row + 5 + 2 * r + b;
  const pixelAt = (a: number, b: number) => [...get(v.from), ...(a === 0 ? [] : [...get(v.rowBytes), ...op.i32Add]), ...(b === 0 ? [] : [...get(v.pixelBytes), ...op.i32Add])];
  const group = [
    ...[0, 1].flatMap((a) => [0, 1].flatMap((b) => [...pixelAt(a, b), ...op.v128Load(0), ...set(dyOf(a, b))])),
    ...[0, 1].flatMap((b) => byA([get(dyOf(0, b)), get(dyOf(1, b))]).flatMap((x, r) => [...x, ...set(aDy(r, b))])),
    // Panel column/8 (`tiles` rows of 32 bytes), row t, column%8.
    ...get(v.panels), ...get(v.column), ...op.i32Const(-8), ...op.i32And, ...op.i32Const(2), ...op.i32Shl, ...get(v.tiles), ...op.i32Mul, ...op.i32Add,
    ...get(v.row), ...op.i32Const(32), ...op.i32Mul, ...op.i32Add,
    ...get(v.column), ...op.i32Const(4), ...op.i32And, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...set(v.to),
    ...FOUR.flatMap((r) => byA([get(aDy(r, 0)), get(aDy(r, 1))]).flatMap((x) => [...get(v.to), ...x, ...op.v128Store(0), ...addTo(v.to, get(v.planeBytes))])),
    ...addTo(v.from, op.i32Const(16)),
    ...addTo(v.column, op.i32Const(4)),
  ];
  const body = [
    ...get(v.outChannels), ...op.i32Const(2), ...op.i32Shl, ...set(v.pixelBytes),
    ...get(v.pixelBytes), ...get(v.tilesAcross), ...op.i32Const(1), ...op.i32Shl, ...op.i32Mul, ...set(v.rowBytes),
    ...get(v.dy), ...set(v.tileStart),
    ...op.i32Const(0), ...set(v.row),
    ...overTiles(v, [
      ...get(v.tileStart), ...set(v.from),
      ...get(v.from), ...get(v.pixelBytes), ...op.i32Add, ...set(v.end),
      ...op.i32Const(0), ...set(v.column),
      ...whileNot([...get(v.from), ...get(v.end), ...op.i32GeU], group),
      ...addTo(v.row, op.i32Const(1)),
    ]),
  ];
  return { name: 'winogradGradientTiles', params: i32s(GRADIENT_TILES_PARAMETERS.length), results: [], locals: [...i32s(11), ...v128s(12)], body };
}

const FILTER_GRADIENT_PARAMETERS = ['w', 'out', 'channels', 'outChannels', 'rows'] as const;

/** The 3 rows of Gᵀ x for a column x of 4 vectors (Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1]). */
function byGt(x: readonly Bytes[], half: number): Bytes[] {
  const [x0, x1, x2, x3] = x as [Bytes, Bytes, Bytes, Bytes];
  const halve = (e: Bytes) => [...e, ...get(half), ...op.f32x4Mul];
  return [add(x0, halve(add(x1, x2))), halve(sub(x1, x2)), add(halve(add(x1, x2)), x3)];
}

/**
 * winogradFilterGradient(w, out, channels, outChannels, rows): for input channels c < rows from `w`'s row on (W_ξ
 * [channels × outChannels], 16 planes, row-major), out[i][j][c][o] = (Gᵀ W G)[i][j] of the 4×4 W_ξ[c][o] into a
 * [3, 3, channels, outChannels] filter gradient (out pointing at channel c's first float of tap 0).
 */
export function winogradFilterGradientFunction() {
  const v = indices(FILTER_GRADIENT_PARAMETERS, ['from', 'to', 'end', 'planeBytes', 'half'] as const);
  // Then W's 16 vectors, and Gᵀ W's 12.
  const wOf = (r: number, s: number) => v.half + 1 + 4 * r + s;
  const gtW = (i: number, s: number) => v.half + 17 + 4 * i + s;
  const group = [
    ...get(v.from), ...set(v.to),
    ...FOUR.flatMap((r) => FOUR.flatMap((s) => [...get(v.to), ...op.v128Load(0), ...set(wOf(r, s)), ...addTo(v.to, get(v.planeBytes))])),
    ...FOUR.flatMap((s) => byGt(FOUR.map((r) => get(wOf(r, s))), v.half).flatMap((x, i) => [...x, ...set(gtW(i, s))])),
    // Tap (i, j) of the gradient: 9 taps, planeBytes (channels × outChannels floats) apart, as W's planes are.
    ...get(v.out), ...set(v.to),
    ...[0, 1, 2].flatMap((i) => byGt(FOUR.map((s) => get(gtW(i, s))), v.half).flatMap((x) => [...get(v.to), ...x, ...op.v128Store(0), ...addTo(v.to, get(v.planeBytes))])),
    ...addTo(v.from, op.i32Const(16)),
    ...addTo(v.out, op.i32Const(16)),
  ];
  const body = [
    ...op.f32Const(0.5), ...op.f32x4Splat, ...set(v.half),
    ...get(v.channels), ...get(v.outChannels), ...op.i32Mul, ...op.i32Const(2), ...op.i32Shl, ...set(v.planeBytes),
    ...get(v.w), ...set(v.from),
    ...get(v.w), ...get(v.rows), ...get(v.outChannels), ...op.i32Mul, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...set(v.end),
    ...whileNot([...get(v.from), ...get(v.end), ...op.i32GeU], group),
  ];
  return { name: 'winogradFilterGradient', params: i32s(FILTER_GRADIENT_PARAMETERS.length), results: [], locals: [...i32s(4), ...v128s(29)], body };
}
