import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs';

type Padding = Conv2DBackpropFilterAttrs['pad'];
type Shape4D = [number, number, number, number];

/** Where the forward convolution's window starts and how far it steps: all a backward pass needs besides the shapes. */
export interface ForwardGeometry {
  readonly padTop: number;
  readonly padLeft: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
}

export interface ForwardAttributes {
  readonly strides: [number, number] | number;
  readonly pad: Padding;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly dilations?: [number, number] | number;
}

/**
 * Resolves 'same', 'valid', a number or explicit padding the way the forward
 * kernels do, so the backward passes agree with them for every padding kind.
 */
export function forwardGeometry(
  kernelName: string,
  inputShape: Shape4D,
  filterShape: Shape4D,
  attributes: ForwardAttributes,
  depthwise: boolean,
): ForwardGeometry {
  const dilations = attributes.dilations ?? 1;
  const [dilationHeight, dilationWidth] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dilationHeight !== 1 || dilationWidth !== 1) {
    throw new Error(`${kernelName} on wasm supports dilations of 1 only, got ${String(dilations)}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attributes.strides,
    1,
    attributes.pad,
    attributes.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  return {
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
  };
}
