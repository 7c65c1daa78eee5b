import { decode } from 'jpeg-js';
import { DatasetFormatError } from '../format-error';
import { nativeJpegDecoder } from './jpeg-native';

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** `height × width × 3` bytes, HWC. */
  readonly data: Uint8Array;
}

export type JpegDecoder = (bytes: Uint8Array, fileName: string) => Promise<RgbImage>;

/**
 * Decodes a JPEG to RGB with jpeg-js, in pure JavaScript (about 1 ms for a
 * 64×64 image). Grayscale (one-component) JPEGs come out with the gray value
 * in all three channels and CMYK ones converted, so every image of a colour
 * dataset has the same shape.
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

/**
 * Refuses what is not a whole JPEG before any decoder sees it: browsers
 * decode a cut-off JPEG without complaint (grey below the cut), so the check
 * that jpeg-js would make must be made here for both.
 */
export function checkJpegFraming(bytes: Uint8Array, fileName: string): void {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) {
    throw new DatasetFormatError(`${fileName} is not a readable JPEG image (it does not start like a JPEG file).`);
  }
  // The end-of-image marker, searched from the end: encoders may pad after it.
  for (let i = bytes.length - 2; i >= 2; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return;
  }
  throw new DatasetFormatError(`${fileName} is not a readable JPEG image (it is cut off: no end-of-image marker).`);
}

let native: JpegDecoder | null | undefined;

/** Which decoder `decodeJpeg` uses here: the platform's where it has one (browsers, workers), else jpeg-js (Node). */
export function jpegDecoderName(): 'native' | 'jpeg-js' {
  native ??= nativeJpegDecoder();
  return native ? 'native' : 'jpeg-js';
}

/** The one JPEG entry point of the data code: checks the framing, then decodes with the fastest decoder available. */
export async function decodeJpeg(bytes: Uint8Array, fileName: string): Promise<RgbImage> {
  checkJpegFraming(bytes, fileName);
  native ??= nativeJpegDecoder();
  return native ? native(bytes, fileName) : decodeJpegRgb(bytes, fileName);
}
