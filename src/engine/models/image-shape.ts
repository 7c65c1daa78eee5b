import type { NetworkShape } from './network';

export interface ConvShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Convolutional architectures need [H, W, C] input; a 2-D point dataset gets a clear error. */
export function requireImage(shape: NetworkShape, architecture: string): ConvShape {
  if (shape.inputShape.length !== 3) {
    throw new Error(`${architecture} needs image data (height × width × channels); this dataset has inputs of shape [${shape.inputShape.join(', ')}]`);
  }
  const [height, width, channels] = shape.inputShape as [number, number, number];
  return { height, width, channels };
}

/** A channel count under the width multiplier (at least 1). */
export function scaled(channels: number, width: number): number {
  return Math.max(1, Math.round(channels * width));
}
