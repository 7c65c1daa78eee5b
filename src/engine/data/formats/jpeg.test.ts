import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from '../format-error';
import { checkJpegFraming, decodeJpeg, decodeJpegRgb, jpegDecoderName } from './jpeg';
import { nativeJpegDecoder } from './jpeg-native';
import { solidJpeg } from './tiny-imagenet-fixture.test-support';

const failure = async (run: () => unknown) => {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetFormatError);
    return (error as Error).message;
  }
  throw new Error('expected a failure');
};

describe('JPEG decoding', () => {
  it('uses jpeg-js in Node, which has no createImageBitmap', async () => {
    expect(jpegDecoderName()).toBe('jpeg-js');
    const image = await decodeJpeg(solidJpeg([200, 100, 50], 16), 'a.JPEG');
    expect([image.width, image.height, image.data.length]).toEqual([16, 16, 16 * 16 * 3]);
    for (let c = 0; c < 3; c++) expect(Math.abs(image.data[c]! - [200, 100, 50][c]!)).toBeLessThanOrEqual(3);
  });

  it('refuses a file that is not a JPEG, or is cut off, before any decoder sees it', async () => {
    const whole = solidJpeg([10, 20, 30], 16);
    expect(() => checkJpegFraming(whole, 'ok.JPEG')).not.toThrow();
    // Padding after the end marker is allowed.
    expect(() => checkJpegFraming(Uint8Array.from([...whole, 0, 0]), 'padded.JPEG')).not.toThrow();
    expect(await failure(() => decodeJpeg(new TextEncoder().encode('GIF89a...'), 'x.JPEG'))).toMatch(/x\.JPEG is not a readable JPEG image \(it does not start like a JPEG file\)/);
    expect(await failure(() => decodeJpeg(whole.subarray(0, whole.length - 40), 'cut.JPEG'))).toMatch(/cut\.JPEG .* cut off: no end-of-image marker/);
    expect(await failure(() => decodeJpegRgb(whole.subarray(0, 300), 'short.JPEG'))).toMatch(/short\.JPEG is not a readable JPEG image/);
  });
});

describe('native JPEG decoder (platform API faked; the real one runs in the e2e import test)', () => {
  /** A stand-in for createImageBitmap + OffscreenCanvas that decodes with jpeg-js into RGBA. */
  function fakePlatform() {
    const closed: number[] = [];
    let drawn: { width: number; height: number; rgba: Uint8ClampedArray } | null = null;
    let nextId = 0;
    const scope = {
      createImageBitmap: async (blob: Blob, options?: ImageBitmapOptions) => {
        expect(options).toMatchObject({ colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
        const bytes = new Uint8Array(await blob.arrayBuffer());
        if (bytes[0] !== 0xff) throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
        const rgb = decodeJpegRgb(bytes, 'fake');
        const rgba = new Uint8ClampedArray(rgb.width * rgb.height * 4);
        for (let p = 0; p < rgb.width * rgb.height; p++) rgba.set([rgb.data[3 * p]!, rgb.data[3 * p + 1]!, rgb.data[3 * p + 2]!, 255], 4 * p);
        const id = nextId++;
        return { width: rgb.width, height: rgb.height, rgba, close: () => closed.push(id) };
      },
      OffscreenCanvas: class {
        constructor(
          readonly width: number,
          readonly height: number,
        ) {}
        getContext() {
          return {
            clearRect: () => undefined,
            drawImage: (bitmap: { width: number; height: number; rgba: Uint8ClampedArray }) => (drawn = bitmap),
            getImageData: () => ({ data: drawn!.rgba }),
          };
        }
      },
    };
    return { scope, closed };
  }

  it('is null without the platform API, and turns RGBA into RGB and closes every bitmap with it', async () => {
    expect(nativeJpegDecoder({})).toBeNull();
    const { scope, closed } = fakePlatform();
    const decode = nativeJpegDecoder(scope)!;
    const image = await decode(solidJpeg([30, 140, 250], 8), 'n.JPEG');
    expect([image.width, image.height, image.data.length]).toEqual([8, 8, 8 * 8 * 3]);
    expect(Math.abs(image.data[2]! - 250)).toBeLessThanOrEqual(3);
    expect(Math.abs(image.data[8 * 8 * 3 - 2]! - 140)).toBeLessThanOrEqual(3);
    const other = await decode(solidJpeg([1, 2, 3], 16), 'm.JPEG');
    expect(other.width).toBe(16);
    expect(closed).toEqual([0, 1]);
  });

  it("names the file when the platform cannot decode it", async () => {
    const { scope } = fakePlatform();
    expect(await failure(() => nativeJpegDecoder(scope)!(Uint8Array.of(1, 2, 3), 'bad.JPEG'))).toMatch(
      /bad\.JPEG is not a readable JPEG image \(The source image could not be decoded\.\)/,
    );
  });
});
