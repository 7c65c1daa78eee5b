import { GEMM_FUNCTIONS, TILE_COLUMNS } from './gemm-module';
import type { ProductHost } from './product-host';

/**
 * Where a product's operands go in the module's memory, and how its calls
 * name the module's functions (relaxed-gemm.ts, one-channel-convolution.ts).
 */

export const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

/** Rows of A per block of a convolution: up to 512 KB, so a block stays in L2 while every panel of the filter passes over it. */
export const BLOCK_BYTES = 512 * 1024;

/** Byte offsets of consecutive 16-byte aligned regions of the given sizes from `base`, and the end. */
export function layout(base: number, ...bytes: number[]): { at: number[]; end: number } {
  const at: number[] = [];
  let end = roundUp(base, 16);
  for (const size of bytes) {
    at.push(end);
    end += roundUp(size, 16);
  }
  return { at, end };
}

/** `count` regions of `bytes` each, from `at`. */
export const regions = (at: number, bytes: number, count: number) => Array.from({ length: count }, (_, lane) => at + lane * roundUp(bytes, 16));

/** The index of one of the module's functions, which a call names first. */
export const functionIndex = (name: (typeof GEMM_FUNCTIONS)[number]['name']) => GEMM_FUNCTIONS.findIndex((f) => f.name === name);

/** Where a filter gradient's image and dy are read in place (ProductHost.addressOf), `null` where they are copied, and their sizes in floats. */
export interface FilterGradientOperands {
  readonly imageInPlace: number | null;
  readonly gradientInPlace: number | null;
  readonly imageFloats: number;
  readonly gradientFloats: number;
}

/**
 * The image and dy read in place where tfjs's heap holds them. Packing dy's last row reads up to a panel's width past
 * it, into padding of that one row of the panels (ProductHost.addressOf).
 */
export function filterGradientOperands(host: ProductHost, image: Float32Array, imageFloats: number, outputGradient: Float32Array, gradientFloats: number): FilterGradientOperands {
  return { imageInPlace: host.addressOf(image, imageFloats), gradientInPlace: host.addressOf(outputGradient, gradientFloats, TILE_COLUMNS), imageFloats, gradientFloats };
}

/**
 * A filter gradient's scratch: room for copies of the image and of dy where they are not read in place (dy's copy
 * with the floats past it that packing its last row reads, zeroed), then `lanesBytes` for the lanes. Returns the
 * memory as floats and where the image, dy and the lanes' regions are.
 */
export function filterGradientScratch(host: ProductHost, operands: FilterGradientOperands, lanesBytes: number): { heap: Float32Array; imageAt: number; gradientAt: number; lanesAt: number } {
  const { imageInPlace, gradientInPlace, imageFloats, gradientFloats } = operands;
  const { at, heap } = host.scratch(imageInPlace === null ? imageFloats * 4 : 0, gradientInPlace === null ? (gradientFloats + TILE_COLUMNS) * 4 : 0, lanesBytes);
  const [imageCopy, gradientCopy, lanesAt] = at as [number, number, number];
  if (gradientInPlace === null) heap.fill(0, gradientCopy / 4 + gradientFloats, gradientCopy / 4 + gradientFloats + TILE_COLUMNS);
  return { heap, imageAt: imageInPlace ?? imageCopy, gradientAt: gradientInPlace ?? gradientCopy, lanesAt };
}
