import { addTo, assembleModule, op, type, whileNot, type Bytes, type MemorySpec, type ValueType } from '../wasm-gemm/wasm-bytes';

/**
 * Per-channel passes over channels-last data, [rows × channels] row major
 * with channels a multiple of 4, in 128-bit SIMD: what BatchNorm needs to
 * train in two passes forward and two backward, where tfjs composes it from
 * a dozen (batch-norm-train.ts). Per-channel operands (shift, p, q, r) are
 * arrays of `channels` floats. All pointers are byte addresses.
 *
 *   sumRows(x, rows, channels, out): out = Σ_rows x
 *   sumProducts(x, xShift, y, yShift, rows, channels, out): out = Σ_rows (x − xShift)·(y − yShift)
 *     (shifting both sides, not one: Σ x·(x − mean) equals Σ (x − mean)² only up to mean·Σ (x − mean), which
 *     float32's rounding of the mean makes far from 0)
 *   affine(x, shift, p, r, rows, channels, out): out = (x − shift)·p + r
 *   affine2(x, p, y, shift, q, r, rows, channels, out): out = x·p + (y − shift)·q + r
 *   reluGradient(dy, x, vectors, out): out = dy where x > 0, else 0, for `vectors` groups of 4 floats
 *   relu(x, vectors, out), addVectors(a, b, vectors, out): ReLU and a + b, for the product's threads only
 *     (channelPassesForThreads)
 *   maxPoolGradient4 / maxPoolGradient1(x, dy, dx, batch, height, width, channels, outHeight, outWidth, k):
 *     the gradient of a k×k max pool with stride k and no padding, NHWC: every pixel of every window gets 0 but
 *     the window's first maximum (row-major), which gets the window's dy. Pixels in no window are left as they
 *     are. maxPoolGradient4 takes 4 channels at a time (any count from 4 on: the last group of 4 overlaps the one
 *     before it where the count is not a multiple of 4, and writes the same values again), maxPoolGradient1 one.
 *   sgdStep(w, g, b, m, vectors, lr, momentum, decay, flags, outW, outB): PyTorch's SGD step on `vectors` groups
 *     of 4 floats, d = (g + w·decay) ⊙ m, b' = b·momentum + d, w' = w − b'·lr, each product and sum rounded to
 *     float32 as tfjs's separate ops round it (no fused multiply-add). flags: 1 decay, 2 mask, 4 momentum buffer;
 *     without one, its term is left out (without the buffer, w' = w − d·lr and outB is not written). Returns
 *     Σ|w'| in float32 (non-finite if any w' is), for the step's check that every weight is finite.
 *
 * The sums accumulate in float32 over the rows they are given: callers pass
 * blocks of rows and add the blocks in float64.
 */

const get = op.localGet;
/** The vector at `base + j` bytes. */
const vectorAt = (base: number, j: number): Bytes => [...get(base), ...get(j), ...op.i32Add, ...op.v128Load(0)];

/**
 * Row by row, channel vector by channel vector: `body` runs with `j` the byte
 * offset of the vector within a row, then each pointer in `advance` moves 16
 * bytes on. Sets `rowBytes` and `end` (the first byte past `over`'s rows).
 */
function rowLoop(locals: { over: number; rows: number; channels: number; rowBytes: number; end: number; j: number }, advance: readonly number[], body: Bytes): Bytes {
  const { over, rows, channels, rowBytes, end, j } = locals;
  return [
    ...get(channels), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(rowBytes),
    ...get(over), ...get(rows), ...get(rowBytes), ...op.i32Mul, ...op.i32Add, ...op.localSet(end),
    ...whileNot([...get(over), ...get(end), ...op.i32GeU], [
      ...op.i32Const(0), ...op.localSet(j),
      ...whileNot([...get(j), ...get(rowBytes), ...op.i32GeU], [
        ...body,
        ...advance.flatMap((pointer) => addTo(pointer, op.i32Const(16))),
        ...addTo(j, op.i32Const(16)),
      ]),
    ]),
  ];
}

/** out[0 … channels) = 0, then `accumulate` (leaving a vector) added to out + j over every row. */
function sumFunction(name: string, params: number, over: number, rows: number, channels: number, out: number, advance: readonly number[], term: (j: number) => Bytes) {
  const [rowBytes, end, j, at] = [params, params + 1, params + 2, params + 3];
  const body = [
    ...get(channels), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(rowBytes),
    ...op.i32Const(0), ...op.localSet(j),
    ...whileNot([...get(j), ...get(rowBytes), ...op.i32GeU], [...get(out), ...get(j), ...op.i32Add, ...op.v128Zero, ...op.v128Store(0), ...addTo(j, op.i32Const(16))]),
    ...rowLoop({ over, rows, channels, rowBytes, end, j }, advance, [
      ...get(out), ...get(j), ...op.i32Add, ...op.localTee(at),
      ...get(at), ...op.v128Load(0), ...term(j), ...op.f32x4Add,
      ...op.v128Store(0),
    ]),
  ];
  return { name, params: new Array<number>(params).fill(type.i32) as (typeof type.i32)[], results: [], locals: [type.i32, type.i32, type.i32, type.i32], body };
}

function sumRowsFunction() {
  const [x, rows, channels, out] = [0, 1, 2, 3];
  return sumFunction('sumRows', 4, x, rows, channels, out, [x], () => [...get(x), ...op.v128Load(0)]);
}

function sumProductsFunction() {
  const [x, xShift, y, yShift, rows, channels, out] = [0, 1, 2, 3, 4, 5, 6];
  return sumFunction('sumProducts', 7, x, rows, channels, out, [x, y], (j) => [
    ...get(x), ...op.v128Load(0), ...vectorAt(xShift, j), ...op.f32x4Sub,
    ...get(y), ...op.v128Load(0), ...vectorAt(yShift, j), ...op.f32x4Sub,
    ...op.f32x4Mul,
  ]);
}

function affineFunction() {
  const [x, shift, p, r, rows, channels, out] = [0, 1, 2, 3, 4, 5, 6];
  const [rowBytes, end, j] = [7, 8, 9];
  const body = rowLoop({ over: x, rows, channels, rowBytes, end, j }, [x, out], [
    ...get(out),
    ...get(x), ...op.v128Load(0), ...vectorAt(shift, j), ...op.f32x4Sub,
    ...vectorAt(p, j), ...op.f32x4Mul,
    ...vectorAt(r, j), ...op.f32x4Add,
    ...op.v128Store(0),
  ]);
  return { name: 'affine', params: new Array<number>(7).fill(type.i32) as (typeof type.i32)[], results: [], locals: [type.i32, type.i32, type.i32], body };
}

function affine2Function() {
  const [x, p, y, shift, q, r, rows, channels, out] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [rowBytes, end, j] = [9, 10, 11];
  const body = rowLoop({ over: x, rows, channels, rowBytes, end, j }, [x, y, out], [
    ...get(out),
    ...get(x), ...op.v128Load(0), ...vectorAt(p, j), ...op.f32x4Mul,
    ...get(y), ...op.v128Load(0), ...vectorAt(shift, j), ...op.f32x4Sub, ...vectorAt(q, j), ...op.f32x4Mul,
    ...op.f32x4Add,
    ...vectorAt(r, j), ...op.f32x4Add,
    ...op.v128Store(0),
  ]);
  return { name: 'affine2', params: new Array<number>(9).fill(type.i32) as (typeof type.i32)[], results: [], locals: [type.i32, type.i32, type.i32], body };
}

/**
 * name(input 1…k, vectors, out): out = combine(the inputs' vectors), for `vectors` groups of 4 floats, a vector of
 * each input at a time.
 */
function elementwiseFunction(name: string, inputs: number, combine: (loaded: readonly Bytes[]) => Bytes) {
  const sources = Array.from({ length: inputs }, (_, i) => i);
  const [vectors, out, end] = [inputs, inputs + 1, inputs + 2];
  const body = [
    ...get(0), ...get(vectors), ...op.i32Const(4), ...op.i32Shl, ...op.i32Add, ...op.localSet(end),
    ...whileNot([...get(0), ...get(end), ...op.i32GeU], [
      ...get(out),
      ...combine(sources.map((source) => [...get(source), ...op.v128Load(0)])),
      ...op.v128Store(0),
      ...[...sources, out].flatMap((pointer) => addTo(pointer, op.i32Const(16))),
    ]),
  ];
  return { name, params: new Array<number>(inputs + 2).fill(type.i32) as (typeof type.i32)[], results: [], locals: [type.i32], body };
}

/** reluGradient(dy, x, vectors, out): out = dy where x > 0, else 0. */
const reluGradientFunction = () => elementwiseFunction('reluGradient', 2, ([dy, x]) => [...dy!, ...x!, ...op.v128Zero, ...op.f32x4Gt, ...op.v128And]);

/** relu(x, vectors, out): out = max(x, 0) lane by lane, NaN kept. */
const reluFunction = () => elementwiseFunction('relu', 1, ([x]) => [...x!, ...op.v128Zero, ...op.f32x4Max]);

/** addVectors(a, b, vectors, out): out = a + b. */
const addVectorsFunction = () => elementwiseFunction('addVectors', 2, ([a, b]) => [...a!, ...b!, ...op.f32x4Add]);

/**
 * One pass per window and group of channels: first the window's first maximum
 * (a tap index, kept where a later tap is not strictly greater), then every
 * tap written, dy at that index and 0 elsewhere, so dx needs no clearing.
 */
function maxPoolGradientFunction(lanes: 1 | 4) {
  const [x, dy, dx, batch, height, width, channels, outHeight, outWidth, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const integers = 17;
  const [band, bands, base, column, j, corner, tap, dr, dc, t, channelBytes, rowBytes, windowBytes, scalarBestTap, dyWindow, lastGroup, group] = Array.from(
    { length: integers },
    (_, i) => 10 + i,
  ) as number[] as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  // Vectors (or floats, in the scalar variant, which keeps its best tap in scalarBestTap and leaves the last two unused).
  const [best, v, g, greater, vectorBestTap] = [0, 1, 2, 3, 4].map((i) => 10 + integers + i) as [number, number, number, number, number];
  const bestTap = lanes === 4 ? vectorBestTap : scalarBestTap;
  const set = op.localSet;
  const load = lanes === 4 ? op.v128Load(0) : op.f32Load(0);
  const store = lanes === 4 ? op.v128Store(0) : op.f32Store(0);
  /** `body` for every tap of the window at `corner`, with `tap` its byte offset and `t` its index. */
  const everyTap = (body: Bytes) => [
    // 2×2 windows (LeNet-5's, VGG's) unrolled: the loops cost more than the body for 4 taps.
    ...get(k), ...op.i32Const(2), ...op.i32Eq,
    ...op.if,
    ...[0, 1, 2, 3].flatMap((i) => [
      ...get(corner), ...(i >= 2 ? [...get(rowBytes), ...op.i32Add] : []), ...(i % 2 === 1 ? [...get(channelBytes), ...op.i32Add] : []), ...set(tap),
      ...op.i32Const(i), ...set(t),
      ...body,
    ]),
    ...op.else,
    ...everyTapLooped(body),
    ...op.end,
  ];
  const everyTapLooped = (body: Bytes) => [
    ...op.i32Const(0), ...set(t),
    ...op.i32Const(0), ...set(dr),
    ...whileNot([...get(dr), ...get(k), ...op.i32GeU], [
      ...get(corner), ...get(dr), ...get(rowBytes), ...op.i32Mul, ...op.i32Add, ...set(tap),
      ...op.i32Const(0), ...set(dc),
      ...whileNot([...get(dc), ...get(k), ...op.i32GeU], [
        ...body,
        ...addTo(tap, get(channelBytes)),
        ...addTo(t, op.i32Const(1)),
        ...addTo(dc, op.i32Const(1)),
      ]),
      ...addTo(dr, op.i32Const(1)),
    ]),
  ];
  const keepIfGreater =
    lanes === 4
      ? [
          ...get(v), ...get(best), ...op.f32x4Gt, ...set(greater),
          ...get(v), ...get(best), ...get(greater), ...op.v128Bitselect, ...set(best),
          ...get(t), ...op.i32x4Splat, ...get(bestTap), ...get(greater), ...op.v128Bitselect, ...set(bestTap),
        ]
      : [...get(v), ...get(best), ...op.f32Gt, ...op.if, ...get(v), ...set(best), ...get(t), ...set(bestTap), ...op.end];
  const routed =
    lanes === 4
      ? [...get(g), ...get(bestTap), ...get(t), ...op.i32x4Splat, ...op.i32x4Eq, ...op.v128And]
      : [...get(g), ...op.f32Const(0), ...get(t), ...get(bestTap), ...op.i32Eq, ...op.select];
  const groupPass = [
    // This group's byte offset within a pixel: j, or the last group's where j would run past the channels.
    ...get(j), ...get(lastGroup), ...get(j), ...get(lastGroup), ...op.i32LtU, ...op.select, ...set(group),
    ...get(base), ...get(group), ...op.i32Add, ...set(corner),
    ...get(x), ...get(corner), ...op.i32Add, ...load, ...set(best),
    ...(lanes === 4 ? [...op.v128Zero, ...set(bestTap)] : [...op.i32Const(0), ...set(bestTap)]),
    ...everyTap([...get(x), ...get(tap), ...op.i32Add, ...load, ...set(v), ...keepIfGreater]),
    ...get(dyWindow), ...get(group), ...op.i32Add, ...load, ...set(g),
    ...everyTap([...get(dx), ...get(tap), ...op.i32Add, ...routed, ...store]),
    ...addTo(j, op.i32Const(4 * lanes)),
  ];
  const body = [
    ...get(channels), ...op.i32Const(2), ...op.i32Shl, ...set(channelBytes),
    ...get(width), ...get(channelBytes), ...op.i32Mul, ...set(rowBytes),
    ...get(k), ...get(channelBytes), ...op.i32Mul, ...set(windowBytes),
    ...get(batch), ...get(outHeight), ...op.i32Mul, ...set(bands),
    ...get(channelBytes), ...op.i32Const(4 * lanes), ...op.i32Sub, ...set(lastGroup),
    ...get(dy), ...set(dyWindow),
    ...op.i32Const(0), ...set(band),
    ...whileNot([...get(band), ...get(bands), ...op.i32GeU], [
      // The band's first row: image band / outHeight, row (band % outHeight)·k.
      ...get(band), ...get(outHeight), ...op.i32DivU, ...get(height), ...op.i32Mul,
      ...get(band), ...get(outHeight), ...op.i32RemU, ...get(k), ...op.i32Mul, ...op.i32Add,
      ...get(rowBytes), ...op.i32Mul, ...set(base),
      ...op.i32Const(0), ...set(column),
      ...whileNot([...get(column), ...get(outWidth), ...op.i32GeU], [
        ...op.i32Const(0), ...set(j),
        ...whileNot([...get(j), ...get(channelBytes), ...op.i32GeU], groupPass),
        ...addTo(base, get(windowBytes)),
        ...addTo(dyWindow, get(channelBytes)),
        ...addTo(column, op.i32Const(1)),
      ]),
      ...addTo(band, op.i32Const(1)),
    ]),
  ];
  const valueType = lanes === 4 ? type.v128 : type.f32;
  return {
    name: `maxPoolGradient${lanes}`,
    params: new Array<ValueType>(10).fill(type.i32),
    results: [],
    locals: [...new Array<ValueType>(integers).fill(type.i32), ...new Array<ValueType>(5).fill(valueType)],
    body,
  };
}

/** SGD_FLAGS as the sgdStep function reads them. */
export const SGD_FLAGS = { decay: 1, mask: 2, buffer: 4 } as const;

function sgdStepFunction() {
  const [w, g, b, m, vectors, lr, momentum, decay, flags, outW, outB] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [end, lrs, momenta, decays, d, weight, mass] = [11, 12, 13, 14, 15, 16, 17];
  const set = op.localSet;
  const when = (flag: number, body: Bytes) => [...get(flags), ...op.i32Const(flag), ...op.i32And, ...op.if, ...body, ...op.end];
  const body = [
    ...get(w), ...get(vectors), ...op.i32Const(4), ...op.i32Shl, ...op.i32Add, ...set(end),
    ...get(lr), ...op.f32x4Splat, ...set(lrs),
    ...get(momentum), ...op.f32x4Splat, ...set(momenta),
    ...get(decay), ...op.f32x4Splat, ...set(decays),
    ...whileNot([...get(w), ...get(end), ...op.i32GeU], [
      ...get(w), ...op.v128Load(0), ...set(weight),
      ...get(g), ...op.v128Load(0), ...set(d),
      ...when(SGD_FLAGS.decay, [...get(d), ...get(weight), ...get(decays), ...op.f32x4Mul, ...op.f32x4Add, ...set(d)]),
      ...when(SGD_FLAGS.mask, [...get(d), ...get(m), ...op.v128Load(0), ...op.f32x4Mul, ...set(d)]),
      ...when(SGD_FLAGS.buffer, [
        ...get(b), ...op.v128Load(0), ...get(momenta), ...op.f32x4Mul, ...get(d), ...op.f32x4Add, ...set(d),
        ...get(outB), ...get(d), ...op.v128Store(0),
      ]),
      ...get(weight), ...get(d), ...get(lrs), ...op.f32x4Mul, ...op.f32x4Sub, ...set(weight),
      ...get(outW), ...get(weight), ...op.v128Store(0),
      ...get(mass), ...get(weight), ...op.f32x4Abs, ...op.f32x4Add, ...set(mass),
      ...[w, g, b, m, outW, outB].flatMap((pointer) => addTo(pointer, op.i32Const(16))),
    ]),
    // Σ|w'|: the four lanes' sums, added in lane order.
    ...get(mass), ...op.f32x4ExtractLane(0),
    ...[1, 2, 3].flatMap((lane) => [...get(mass), ...op.f32x4ExtractLane(lane), ...op.f32Add]),
  ];
  return {
    name: 'sgdStep',
    params: [type.i32, type.i32, type.i32, type.i32, type.i32, type.f32, type.f32, type.f32, type.i32, type.i32, type.i32],
    results: [type.f32],
    locals: [type.i32, type.v128, type.v128, type.v128, type.v128, type.v128, type.v128],
    body,
  };
}

export interface ChannelFunctions {
  sumRows(x: number, rows: number, channels: number, out: number): void;
  sumProducts(x: number, xShift: number, y: number, yShift: number, rows: number, channels: number, out: number): void;
  affine(x: number, shift: number, p: number, r: number, rows: number, channels: number, out: number): void;
  affine2(x: number, p: number, y: number, shift: number, q: number, r: number, rows: number, channels: number, out: number): void;
  reluGradient(dy: number, x: number, vectors: number, out: number): void;
  maxPoolGradient4(x: number, dy: number, dx: number, batch: number, height: number, width: number, channels: number, outHeight: number, outWidth: number, k: number): void;
  maxPoolGradient1(x: number, dy: number, dx: number, batch: number, height: number, width: number, channels: number, outHeight: number, outWidth: number, k: number): void;
  sgdStep(w: number, g: number, b: number, m: number, vectors: number, lr: number, momentum: number, decay: number, flags: number, outW: number, outB: number): number;
}

/**
 * The passes BatchNorm, ReLU, its gradient and adds split over threads, for the matrix product's module, whose
 * helper threads run them where the product works in tfjs's shared heap (wasm-gemm/gemm-module.ts,
 * batch-norm-train.ts, relu-on-lanes.ts). relu and addVectors are only there: on one thread tfjs's own kernels do
 * the same.
 */
export const channelPassesForThreads = () => [sumRowsFunction(), sumProductsFunction(), affineFunction(), affine2Function(), reluGradientFunction(), reluFunction(), addVectorsFunction()];

/** The module's bytes, over an imported memory (shared or not, as the memory it will be given). */
export function channelModuleBytes(memory: MemorySpec): Uint8Array<ArrayBuffer> {
  return assembleModule([sumRowsFunction(), sumProductsFunction(), affineFunction(), affine2Function(), reluGradientFunction(), maxPoolGradientFunction(4), maxPoolGradientFunction(1), sgdStepFunction()], memory);
}

const instances = new WeakMap<WebAssembly.Memory, ChannelFunctions | null>();

/** The functions over `memory` (tfjs's WASM heap), made once per memory; `null` where the engine cannot compile them. */
export function channelFunctions(memory: WebAssembly.Memory): ChannelFunctions | null {
  if (!instances.has(memory)) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = channelModuleBytes(shared ? { kind: 'shared', pages: 1, maximumPages: 65536 } : { kind: 'imported', pages: 1 });
    let functions: ChannelFunctions | null = null;
    try {
      functions = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as ChannelFunctions;
    } catch {
      functions = null;
    }
    instances.set(memory, functions);
  }
  return instances.get(memory)!;
}
