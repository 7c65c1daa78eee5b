import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs';
import fc from 'fast-check';

export type Padding = Conv2DBackpropFilterAttrs['pad'];

/** One convolution layer to differentiate: shapes, stride, padding, and the seed of its random data. */
export interface ConvCase {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly inChannels: number;
  /** Output channels of a dense convolution; the channel multiplier of a depthwise one. */
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strides: [number, number];
  readonly pad: Padding;
  readonly seed: number;
}

export function inputShape(c: ConvCase): [number, number, number, number] {
  return [c.batch, c.height, c.width, c.inChannels];
}

export function filterShape(c: ConvCase): [number, number, number, number] {
  return [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels];
}

const side = fc.integer({ min: 1, max: 9 });
const filterSide = fc.constantFrom(1, 3, 5);
const stride = fc.constantFrom(1, 2, 3);
// Explicit padding up to 3 also exceeds a 1×1 or 3×3 filter's reach, the case
// where the backward passes' implied padding turns negative.
const padAmount = fc.integer({ min: 0, max: 3 });

// No dimRoundingMode: tfjs's Conv2D gradient does not pass it on to the
// backward kernels, so whenever it changes the output size the CPU reference
// itself is wrong (it drops the last row of dy).
const padding: fc.Arbitrary<Padding> = fc.oneof(
  fc.constantFrom<Padding>('valid', 'same'),
  padAmount,
  fc
    .tuple(padAmount, padAmount, padAmount, padAmount)
    .map(([top, bottom, left, right]): Padding => [[0, 0], [top, bottom], [left, right], [0, 0]]),
);

/**
 * Whether tfjs handles the case and it has at least one output pixel. tfjs
 * sizes the output of a numeric padding from the filter height and stride
 * alone, so with a non-square filter or unequal strides its own forward
 * convolution disagrees with itself (the stock WASM one writes out of bounds).
 */
function isValidCase(c: ConvCase, depthwise: boolean): boolean {
  const squareGeometry = c.filterHeight === c.filterWidth && c.strides[0] === c.strides[1];
  if (typeof c.pad === 'number' && !squareGeometry) return false;
  try {
    const info = tf.backend_util.computeConv2DInfo(inputShape(c), filterShape(c), c.strides, 1, c.pad, undefined, depthwise);
    return info.outHeight >= 1 && info.outWidth >= 1;
  } catch {
    return false;
  }
}

/** Random layers: batch 1–4, sides 1–9, channels 1–5, filters 1/3/5, strides 1–3, every padding kind. */
export function convCases(kind: 'dense' | 'depthwise'): fc.Arbitrary<ConvCase> {
  return fc
    .record({
      batch: fc.integer({ min: 1, max: 4 }),
      height: side,
      width: side,
      inChannels: fc.integer({ min: 1, max: 5 }),
      outChannels: kind === 'dense' ? fc.integer({ min: 1, max: 5 }) : fc.integer({ min: 1, max: 2 }),
      filterHeight: filterSide,
      filterWidth: filterSide,
      strides: fc.tuple(stride, stride),
      pad: padding,
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .filter((c) => isValidCase(c, kind === 'depthwise'));
}
