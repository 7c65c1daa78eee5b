import { decode } from 'jpeg-js';
import { DatasetFormatError } from '../format-error';

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** `height × width × 3` bytes, HWC. */
  readonly data: Uint8Array;
}

/**
 * Decodes a JPEG to RGB. Grayscale (one-component) JPEGs come out with the
 * gray value in all three channels and CMYK ones converted, so every image of
 * a colour dataset has the same shape.
 */
export function decodeJpegRgb(bytes: Uint8Array, fileName: string): RgbImage {
  try {
    // The resolution cap keeps a damaged header from asking for a huge allocation.
    const image = decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 4 });
    if (image.data.length !== image.width * image.height * 3) {
      throw new Error(`decoded ${image.data.length} bytes for ${image.width}×${image.height}`);
    }
    return { width: image.width, height: image.height, data: image.data };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DatasetFormatError(`${fileName} is not a readable JPEG image (${message}).`, { cause: error });
  }
}
