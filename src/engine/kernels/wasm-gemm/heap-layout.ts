import { GEMM_FUNCTIONS } from './gemm-module';

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
