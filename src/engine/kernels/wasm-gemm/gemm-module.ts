import { col2imFunction, im2colFunction, im2colTransposedFunction } from './layout-functions';
import { convolveFramesFunction, filterGradientFramesFunction, placeImagesFunction, placeImagesInPlanesFunction } from './frame-functions';
import { convolveOneChannelFunction, filterGradientOneChannelFunction } from './one-channel-functions';
import { gemmFunction, gemmPackedFunction, packAFunction, packFunction, packTransposedFunction, type MultiplyAdd } from './product-functions';
import { assembleModule, type MemorySpec } from './wasm-bytes';
import {
  winogradFilterFunction,
  winogradFilterGradientFunction,
  winogradGradientTilesFunction,
  winogradInputFunction,
  winogradOutputFunction,
} from './winograd-functions';
import { channelPassesForThreads } from '../wasm-channels/channel-module';

export { TILE_COLUMNS, TILE_ROWS, type MultiplyAdd } from './product-functions';

/**
 * A matrix product written for WASM's relaxed SIMD: C = A·B in float32, row
 * major, on tiles of 4 rows × 8 columns held in 8 vector registers, one fused
 * multiply-add per register per step of k. XNNPACK, which the WASM backend
 * multiplies with, issues a separate multiply and add (its build predates
 * relaxed SIMD), which on x64 needs more registers and instructions: on the
 * development machine V8 runs this loop at ~1.5× XNNPACK's rate (README,
 * Benchmark).
 *
 * The module works on operands that the caller lays out in its memory
 * (relaxed-gemm.ts): A with a multiple of 4 rows, B packed into panels of 8
 * columns, so every tile is whole. Padding rows and columns may hold
 * anything; they only reach padding of C. A call writes the first n columns of
 * C's rows, which are cColumns floats apart: a tile of its last panel stores
 * only the columns it has.
 *
 *   pack(b, panels, k, n, rowFloats): B [k×n] (rows rowFloats apart) → n/8 panels of [k×8], each contiguous.
 *   gemm(a, aStride, aColumnStride, panels, c, m, k, n, accumulate, cColumns): C [m×n] (rows cColumns
 *     floats apart) = A [m×k] · packed B (whole panels, the last one's columns past n padding), or
 *     C += A·B if accumulate is not 0. A[i][j] is the float at a + i·aStride + j·aColumnStride: (k, 1)
 *     for a row-major matrix, (1, m) for a transposed one, wider for a block of columns.
 *   im2col(...): rows of A for a convolution (layout-functions.ts, like the next two).
 *   im2colTransposed(..., pitch): the same, transposed (see im2colTransposedFunction).
 *   col2im(...): im2col's adjoint, for input gradients (see col2imFunction).
 *   packA(a, aStride, aColumnStride, rows, k, out) and gemmPacked(aPacked, panels, c, m, k, n, accumulate, cColumns): the
 *     same product with A packed into tiles of 4 rows first (product-functions.ts, like pack and gemm).
 *   packTransposed(bt, panels, k, n): pack's panels from Bᵀ [n×k] (product-functions.ts).
 *   placeImages, packWide, convolveFrames, placeImagesInPlanes, filterGradientFrames: convolutions read from padded images in place, without im2col
 *     (frame-functions.ts); convolveOneChannel, filterGradientOneChannel: the same for one-channel images, and their
 *     filter gradients (one-channel-functions.ts).
 *   winogradFilter, winogradInput(InFours), winogradOutput, winogradGradientTiles, winogradFilterGradient: the transforms of
 *     Winograd's F(2×2, 3×3) for 3×3 convolutions at stride 1 and their filter gradients, around gemm
 *     (winograd-functions.ts).
 *   sumRows, sumProducts, affine, affine2, reluGradient, relu, addVectors: the channel passes of
 *     wasm-channels/channel-module.ts, so that the helper threads can take shares of BatchNorm, ReLU, its gradient
 *     and adds where the module works in tfjs's shared heap.
 * All pointers are byte addresses in the module's exported memory.
 */

const gemmFunctions = (multiplyAdd: MultiplyAdd) => [
  packFunction(),
  gemmFunction(multiplyAdd),
  im2colFunction(),
  im2colTransposedFunction(),
  col2imFunction(),
  packAFunction(),
  gemmPackedFunction(multiplyAdd),
  packTransposedFunction(),
  placeImagesFunction(),
  convolveOneChannelFunction(multiplyAdd),
  filterGradientOneChannelFunction(multiplyAdd),
  packFunction(16),
  convolveFramesFunction(multiplyAdd),
  filterGradientFramesFunction(multiplyAdd),
  placeImagesInPlanesFunction(),
  winogradFilterFunction(),
  winogradInputFunction('vectors'),
  winogradInputFunction('lanes'),
  winogradOutputFunction(),
  winogradGradientTilesFunction(),
  winogradFilterGradientFunction(),
  ...channelPassesForThreads(),
];

type GemmFunctionName =
  | 'pack'
  | 'gemm'
  | 'im2col'
  | 'im2colTransposed'
  | 'col2im'
  | 'packA'
  | 'gemmPacked'
  | 'packTransposed'
  | 'placeImages'
  | 'convolveOneChannel'
  | 'filterGradientOneChannel'
  | 'packWide'
  | 'convolveFrames'
  | 'filterGradientFrames'
  | 'placeImagesInPlanes'
  | 'winogradFilter'
  | 'winogradInput'
  | 'winogradInputInFours'
  | 'winogradOutput'
  | 'winogradGradientTiles'
  | 'winogradFilterGradient'
  | 'sumRows'
  | 'sumProducts'
  | 'affine'
  | 'affine2'
  | 'reluGradient'
  | 'relu'
  | 'addVectors';

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
