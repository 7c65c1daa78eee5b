/**
 * Just enough of the WebAssembly binary format to write small SIMD modules by
 * hand: the lab's matrix product (gemm-module.ts) and the benchmark's peak
 * probe. Writing the bytes here, rather than compiling C, keeps the
 * instructions under review and needs no toolchain; it also lets a module use
 * relaxed SIMD's fused multiply-add, which Debian's clang 14 only knows under a
 * pre-standard opcode.
 */

export type Bytes = readonly number[];

/** Unsigned LEB128 (indices, counts, sizes, SIMD opcodes). */
export function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128 (i32.const). */
export function sleb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

export const vector = (items: readonly Bytes[]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: Bytes): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => vector([...new TextEncoder().encode(text)].map((b) => [b]));

export const type = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
export type ValueType = (typeof type)[keyof typeof type];

/** Alignment hint (log2 bytes) and byte offset of a memory access. */
const memarg = (alignLog2: number, offset: number) => [alignLog2, ...uleb(offset)];
const simd = (opcode: number) => [0xfd, ...uleb(opcode)];

export const op = {
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  i32Const: (x: number) => [0x41, ...sleb(x)],
  f32Const: (x: number) => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32DivU: [0x6e],
  i32RemU: [0x70],
  i32And: [0x71],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32LtS: [0x48],
  i32LtU: [0x49],
  i32GtS: [0x4a],
  i32GtU: [0x4b],
  i32GeU: [0x4f],
  f32Load: (offset = 0) => [0x2a, ...memarg(2, offset)],
  f32Store: (offset = 0) => [0x38, ...memarg(2, offset)],
  f32Add: [0x92],
  f32Gt: [0x5e],
  /** a if c ≠ 0, else b (operands a, b, c). */
  select: [0x1b],
  block: [0x02, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  loop: [0x03, 0x40],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  end: [0x0b],
  /** Copies n bytes (operands target, source, n; bulk memory). */
  memoryCopy: [0xfc, ...uleb(10), 0x00, 0x00],
  /** Sets n bytes to a byte value (operands target, value, n; bulk memory). */
  memoryFill: [0xfc, ...uleb(11), 0x00],
  v128Load: (offset = 0) => [...simd(0x00), ...memarg(0, offset)],
  v128Store: (offset = 0) => [...simd(0x0b), ...memarg(0, offset)],
  v128Load32Splat: (offset = 0) => [...simd(0x09), ...memarg(2, offset)],
  /** Stores lane `lane` of a vector: 4 bytes (one float) or 8 (two floats, lanes 2·lane and 2·lane + 1). */
  v128Store32Lane: (offset: number, lane: number) => [...simd(0x5a), ...memarg(2, offset), lane],
  v128Store64Lane: (offset: number, lane: number) => [...simd(0x5b), ...memarg(3, offset), lane],
  v128Zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  /** Lanes of a then b (4 floats each) picked by index 0–7, as bytes. */
  f32x4Shuffle: (lanes: readonly [number, number, number, number]) => [...simd(0x0d), ...lanes.flatMap((lane) => [0, 1, 2, 3].map((byte) => lane * 4 + byte))],
  f32x4Splat: simd(0x13),
  f32x4ExtractLane: (lane: number) => [...simd(0x1f), lane],
  f32x4Abs: simd(0xe0),
  f32x4Neg: simd(0xe1),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  /** Lane-wise maximum; NaN if either lane is, and +0 for −0 and +0. */
  f32x4Max: simd(0xe9),
  /** Lane-wise a > b as all-ones or all-zeros lanes. */
  f32x4Gt: simd(0x44),
  v128And: simd(0x4e),
  /** Bits of a where c's are set, else b's (operands a, b, c). */
  v128Bitselect: simd(0x52),
  i32x4Splat: simd(0x11),
  i32x4Eq: simd(0x37),
  f32x4Mul: simd(0xe6),
  /** a·b + c, fused or not as the hardware does best (relaxed SIMD). */
  f32x4RelaxedMadd: simd(0x105),
};

/** `pointer += step` for an i32 local. */
export const addTo = (local: number, step: Bytes) => [...op.localGet(local), ...step, ...op.i32Add, ...op.localSet(local)];

/** `block { loop { if (exitCondition) break; body; continue } }`: exitCondition leaves an i32 on the stack. */
export const whileNot = (exitCondition: Bytes, body: Bytes) => [...op.block, ...op.loop, ...exitCondition, ...op.brIf(1), ...body, ...op.br(0), ...op.end, ...op.end];

export interface FunctionSpec {
  readonly name: string;
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
  /** Locals after the parameters, in order. */
  readonly locals: readonly ValueType[];
  readonly body: Bytes;
}

/**
 * Where a module's memory comes from: its own growable memory, exported as
 * `memory`; a shared one imported as `env.memory`, which instances on
 * several threads can work in at once (it needs a maximum size); or an
 * unshared one imported the same way (another module's, such as tfjs's heap).
 */
export type MemorySpec =
  | { readonly kind: 'own'; readonly pages: number }
  | { readonly kind: 'shared'; readonly pages: number; readonly maximumPages: number }
  | { readonly kind: 'imported'; readonly pages: number };

/** A module of exported functions and, if `memory` is given, the memory they address. */
export function assembleModule(functions: readonly FunctionSpec[], memory?: MemorySpec): Uint8Array<ArrayBuffer> {
  const signature = (f: FunctionSpec) => [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))];
  const localGroups = (locals: readonly ValueType[]) => {
    const groups: number[][] = [];
    for (const t of locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]!++;
      else groups.push([1, t]);
    }
    return vector(groups.map(([count, t]) => [...uleb(count!), t!]));
  };
  const bodies = functions.map((f) => {
    const code = [...localGroups(f.locals), ...f.body, ...op.end];
    return [...uleb(code.length), ...code];
  });
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  if (memory?.kind === 'own') exports.push([...name('memory'), 0x02, 0]);
  // Limits flag 0x03: shared, with a maximum; 0x00: a minimum only.
  const limits = memory?.kind === 'shared' ? [0x03, ...uleb(memory.pages), ...uleb(memory.maximumPages)] : memory?.kind === 'imported' ? [0x00, ...uleb(memory.pages)] : null;
  const sharedImport = limits === null ? [] : [[...name('env'), ...name('memory'), 0x02, ...limits]];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(functions.map(signature))),
    ...(sharedImport.length > 0 ? section(2, vector(sharedImport)) : []),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...(memory?.kind === 'own' ? section(5, vector([[0x00, ...uleb(memory.pages)]])) : []),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}
