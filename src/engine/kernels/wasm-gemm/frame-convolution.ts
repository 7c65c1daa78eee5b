import { TILE_COLUMNS, TILE_ROWS } from './gemm-module';
import { WIDE_COLUMNS } from './frame-functions';
import { BLOCK_BYTES, filterGradientOperands, filterGradientScratch, functionIndex, layout, regions, roundUp } from './heap-layout';
import type { ProductHost } from './product-host';
import type { Call, Shape4D, Window } from './relaxed-gemm';

/**
 * Convolutions and filter gradients without im2col (frame-functions.ts,
 * one-channel-functions.ts): each lane places its images into zeroed frames
 * the size of the padded image and multiplies from there.
 */

/**
 * What copying a float in or out costs this thread, in multiply-adds of the product's time: it copies its own
 * images in and its output out while the helpers work, so it takes fewer images (fitted to ResNet-20's layers:
 * 90% of a helper's share for 16-channel layers, 97% for 64).
 */
const COPY_COST = 8;

/**
 * Fewest channels a filter gradient reads from planes. Channels count to whole planes of 4: 3 and 6 channels do a
 * third more multiply-adds and are still faster than im2col (on two threads ResNet's first layer, 3 channels,
 * 3.1 → 2.6 ms; LeNet-5's second, 6, 1.1 → 1.0 ms); 2 would double them.
 */
export const PLANES_FROM_CHANNELS = 3;

/**
 * Each lane's images [from, to): the helpers (lanes 1…) the first, in equal bands, the calling thread (lane 0) the
 * last, fewer by its copying: `copied` floats in and out and `multiplyAdds` per image.
 */
export function imageBands(batch: number, laneCount: number, copied: number, multiplyAdds: number): [number, number][] {
  if (laneCount === 1) return [[0, batch]];
  const ownShare = 1 / (1 + (COPY_COST * copied) / multiplyAdds);
  const helperBand = Math.round(batch / (laneCount - 1 + ownShare));
  const ownFirst = Math.min(batch, helperBand * (laneCount - 1));
  return Array.from({ length: laneCount }, (_, lane) => (lane === 0 ? [ownFirst, batch] : [(lane - 1) * helperBand, Math.min(ownFirst, lane * helperBand)]));
}

const [PACK, PLACE_IMAGES, CONVOLVE_ONE_CHANNEL, FILTER_GRADIENT_ONE_CHANNEL, PACK_WIDE, CONVOLVE_FRAMES, FILTER_GRADIENT_FRAMES, PLACE_IN_PLANES] = (
  [
    'pack', 'placeImages', 'convolveOneChannel', 'filterGradientOneChannel', 'packWide', 'convolveFrames', 'filterGradientFrames', 'placeImagesInPlanes',
  ] as const
).map(functionIndex) as [number, number, number, number, number, number, number, number];

/**
 * Which kernel can read a convolution from frames, if any: one channel at stride 1 with rows of the output that
 * are whole tiles of 4 pixels (convolveOneChannel), or any channels without dilation, with rows of whole pairs
 * of pixels and whole panels of 16 output channels (convolveFrames).
 */
export function convolvesInFrames(imageShape: Shape4D, filterShape: Shape4D, window: Window): 'one channel' | 'wide' | null {
  if (imageShape[3] === 1 && window.strideHeight === 1 && window.strideWidth === 1 && window.outWidth % TILE_ROWS === 0) return 'one channel';
  const undilated = window.dilationHeight === 1 && window.dilationWidth === 1;
  return undilated && window.outWidth % 2 === 0 && filterShape[3] % WIDE_COLUMNS === 0 ? 'wide' : null;
}

/**
 * Which kernel reads a filter gradient from frames, if any: one channel, any stride and dilation
 * (filterGradientOneChannel), or from PLANES_FROM_CHANNELS channels on at stride 1, from frames in planes of 4
 * channels, so that a tile's 4 taps are adjacent floats (filterGradientFrames). At stride 2 a walk along a plane reads
 * every other vector, and im2col was as fast or faster (measured: ResNet-20's 32→64 channel layer 3.8 ms through
 * im2col, 4.2 ms from frames, on two threads).
 */
export function filterGradientInFramesBy(imageShape: Shape4D, window: Window): 'one channel' | 'frames' | null {
  const channels = imageShape[3];
  if (channels === 1) return 'one channel';
  return channels >= PLANES_FROM_CHANNELS && window.strideHeight === 1 && window.strideWidth === 1 ? 'frames' : null;
}

/**
 * The padded image's size (every position some output pixel reads) and how an image goes into it: the first
 * source row and column copied, how many, and where they land.
 */
export function frameOf(imageShape: Shape4D, filterShape: Shape4D, window: Window) {
  const [, height, width, channels] = imageShape;
  const [kernelHeight, kernelWidth] = filterShape;
  const frameHeight = (window.outHeight - 1) * window.strideHeight + (kernelHeight - 1) * window.dilationHeight + 1;
  const frameWidth = (window.outWidth - 1) * window.strideWidth + (kernelWidth - 1) * window.dilationWidth + 1;
  const [sourceRow, sourceColumn] = [Math.max(0, -window.padTop), Math.max(0, -window.padLeft)];
  const [frameRow, frameColumn] = [Math.max(0, window.padTop), Math.max(0, window.padLeft)];
  const rows = Math.max(0, Math.min(height - sourceRow, frameHeight - frameRow));
  const copied = Math.max(0, Math.min(width - sourceColumn, frameWidth - frameColumn));
  const pixelBytes = channels * 4;
  return {
    frameHeight,
    frameWidth,
    frameBytes: frameHeight * frameWidth * pixelBytes,
    /** The placeImages call for `images` images from `first` on, the image at `imageAt`, the frames at `framesAt`. */
    place: (imageAt: number, first: number, images: number, framesAt: number): Call => [
      PLACE_IMAGES,
      imageAt + ((first * height + sourceRow) * width + sourceColumn) * pixelBytes,
      framesAt, images, rows, copied * pixelBytes, width * pixelBytes, frameWidth * pixelBytes, height * width * pixelBytes,
      frameHeight * frameWidth * pixelBytes, (frameRow * frameWidth + frameColumn) * pixelBytes,
    ],
    /** The same into frames of planes of 4 channels (placeImagesInPlanes). */
    placeInPlanes: (imageAt: number, first: number, images: number, framesAt: number): Call => [
      PLACE_IN_PLANES,
      imageAt + ((first * height + sourceRow) * width + sourceColumn) * pixelBytes,
      framesAt, images, rows, copied, width * pixelBytes, height * width * pixelBytes, channels, frameHeight * frameWidth * 16, frameWidth * 16,
      (frameRow * frameWidth + frameColumn) * 16,
    ],
  };
}

/**
 * out [batch, outHeight, outWidth, out channels] = the convolution of an NHWC image with a [kh, kw, in, out]
 * filter, read from frames (convolvesInFrames says which kernel can).
 */
export function convolveInFrames(
  host: ProductHost,
  image: Float32Array,
  imageShape: Shape4D,
  filter: Float32Array,
  filterShape: Shape4D,
  window: Window,
  out: Float32Array,
): void {
  const kernel = convolvesInFrames(imageShape, filterShape, window);
  if (kernel === null) throw new Error('convolveInFrames: no kernel reads this convolution from frames');
  const [batch, height, width, channels] = imageShape;
  const [kernelHeight, kernelWidth, , outChannels] = filterShape;
  const pixelsPerImage = window.outHeight * window.outWidth;
  const k = kernelHeight * kernelWidth * channels;
  const panelWidth = kernel === 'one channel' ? TILE_COLUMNS : WIDE_COLUMNS;
  const columns = roundUp(outChannels, panelWidth);
  const frame = frameOf(imageShape, filterShape, window);
  // Blocks of images whose frames stay in L1 or L2 while every panel passes over them; lanes take bands of images.
  const blockImages = Math.max(1, Math.min(batch, Math.floor(BLOCK_BYTES / 4 / frame.frameBytes)));
  const laneCount = Math.min(host.lanes.lanesFor(batch * pixelsPerImage * k * outChannels), batch);
  const imageFloats = batch * height * width * channels;
  // The image, the filter (wide panels are whole: packWide reads none past it) and C read and written in place
  // where tfjs's heap holds them.
  const imageInPlace = host.addressOf(image, imageFloats);
  const filterInPlace = host.addressOf(filter, k * outChannels);
  const cInPlace = host.addressOf(out, batch * pixelsPerImage * outChannels);
  const { at, heap } = host.scratch(
    imageInPlace === null ? imageFloats * 4 : 0,
    (k * outChannels + panelWidth) * 4,
    k * columns * 4,
    cInPlace === null ? batch * pixelsPerImage * outChannels * 4 : 0,
    laneCount * blockImages * frame.frameBytes,
  );
  const [imageCopy, filterCopy, panelsAt, cCopy, framesAt] = at as [number, number, number, number, number];
  const [imageAt, cAt] = [imageInPlace ?? imageCopy, cInPlace ?? cCopy];
  if (kernel === 'one channel') host.packB(heap, filter, k, outChannels, columns, filterCopy, panelsAt);
  else {
    if (filterInPlace === null) heap.set(filter.subarray(0, k * outChannels), filterCopy / 4);
    host.execute([[[PACK_WIDE, filterInPlace ?? filterCopy, panelsAt, k, columns, outChannels]]]);
  }
  const framesOf = regions(framesAt, blockImages * frame.frameBytes, laneCount);
  // The other lanes take the first images, in equal bands; this thread the last, fewer, since it also copies its
  // images in and its output out while they work.
  const copied = (imageInPlace === null ? height * width * channels : 0) + (cInPlace === null ? pixelsPerImage * outChannels : 0);
  const bands = imageBands(batch, laneCount, copied, pixelsPerImage * k * outChannels);
  const ownFirst = bands[0]![0];
  const programs = framesOf.map((laneFrames, lane) => {
    const program: Call[] = [];
    const [from, to] = bands[lane]!;
    for (let first = from; first < to; first += blockImages) {
      const images = Math.min(blockImages, to - first);
      const cOfBlock = cAt + first * pixelsPerImage * outChannels * 4;
      const geometry = [window.outHeight, window.outWidth, frame.frameHeight, frame.frameWidth];
      program.push(
        frame.place(imageAt, first, images, laneFrames),
        kernel === 'one channel'
          ? [CONVOLVE_ONE_CHANNEL, laneFrames, panelsAt, cOfBlock, images, ...geometry, kernelHeight, kernelWidth, window.dilationHeight, window.dilationWidth, outChannels, outChannels]
          : [CONVOLVE_FRAMES, laneFrames, panelsAt, cOfBlock, images, ...geometry, channels, kernelHeight, kernelWidth, window.strideHeight, window.strideWidth, outChannels],
      );
    }
    return program;
  });
  const imageFloatsOf = (first: number, last: number) => [first * height * width * channels, last * height * width * channels] as const;
  const outputFloatsOf = (first: number, last: number) => [first * pixelsPerImage * outChannels, last * pixelsPerImage * outChannels] as const;
  const copyIn = (first: number, last: number) => {
    if (imageInPlace !== null) return;
    const [from, to] = imageFloatsOf(first, last);
    heap.set(image.subarray(from, to), imageAt / 4 + from);
  };
  const copyOut = (first: number, last: number) => {
    if (cInPlace !== null) return;
    const [from, to] = outputFloatsOf(first, last);
    out.set(heap.subarray(cAt / 4 + from, cAt / 4 + to), from);
  };
  copyIn(0, ownFirst);
  host.execute(programs, { before: () => copyIn(ownFirst, batch), after: () => copyOut(ownFirst, batch) });
  copyOut(0, ownFirst);
}

/**
 * out [kh, kw, in, out] = the gradient of a convolution with respect to its filter, dy the output gradient
 * [batch, outHeight, outWidth, out channels], read from frames (filterGradientInFramesBy says which kernel can).
 * Lanes sum their bands of images, block by block, each into a C of its own, added in lane order: the same sums for
 * the same number of lanes.
 */
export function filterGradientInFrames(
  host: ProductHost,
  image: Float32Array,
  imageShape: Shape4D,
  outputGradient: Float32Array,
  filterShape: Shape4D,
  window: Window,
  out: Float32Array,
): void {
  const kernel = filterGradientInFramesBy(imageShape, window);
  if (kernel === null) throw new Error('filterGradientInFrames: no kernel reads this filter gradient from frames');
  const [batch, height, width, channels] = imageShape;
  const [kernelHeight, kernelWidth, , outChannels] = filterShape;
  const pixelsPerImage = window.outHeight * window.outWidth;
  const pixels = batch * pixelsPerImage;
  const taps = kernelHeight * kernelWidth * channels;
  // In planes, channels are counted to whole planes of 4 (the extra ones are 0 and their taps are dropped at the end).
  const planeChannels = kernel === 'one channel' ? 1 : roundUp(channels, 4);
  const rows = roundUp(kernelHeight * kernelWidth * planeChannels, TILE_ROWS);
  const columns = roundUp(outChannels, TILE_COLUMNS);
  const frame = frameOf(imageShape, filterShape, window);
  const frameBytes = kernel === 'one channel' ? frame.frameBytes : (frame.frameBytes / channels) * planeChannels;
  // Bands of images as for the convolution (the calling thread copies its own in while the helpers work), each in
  // blocks whose dy panels stay in L2 while every tile of taps passes over them.
  const laneCount = Math.min(host.lanes.lanesFor(pixels * taps * outChannels), batch);
  const operands = filterGradientOperands(host, image, batch * height * width * channels, outputGradient, pixels * outChannels);
  const { imageInPlace, gradientInPlace } = operands;
  const copied = (imageInPlace === null ? height * width * channels : 0) + (gradientInPlace === null ? pixelsPerImage * outChannels : 0);
  const bands = imageBands(batch, laneCount, copied, pixelsPerImage * taps * outChannels);
  const largestBand = Math.max(...bands.map(([from, to]) => to - from));
  const blockImages = Math.max(1, Math.min(largestBand, Math.floor(BLOCK_BYTES / (pixelsPerImage * columns * 4))));
  // Per lane: frames, dy's panels, and C (with the floats past it that adding to its last tile reads).
  const laneBytes = [blockImages * frameBytes, blockImages * pixelsPerImage * columns * 4, (rows * outChannels + TILE_COLUMNS) * 4].map((b) => roundUp(b, 16));
  const { heap, imageAt, gradientAt, lanesAt } = filterGradientScratch(host, operands, laneCount * laneBytes.reduce((a, b) => a + b));
  const copyIn = ([first, last]: readonly [number, number]) => {
    if (imageInPlace === null) {
      heap.set(image.subarray(first * height * width * channels, last * height * width * channels), imageAt / 4 + first * height * width * channels);
    }
    if (gradientInPlace === null) {
      heap.set(outputGradient.subarray(first * pixelsPerImage * outChannels, last * pixelsPerImage * outChannels), gradientAt / 4 + first * pixelsPerImage * outChannels);
    }
  };
  const regionsOf = regions(lanesAt, laneBytes.reduce((a, b) => a + b), laneCount).map((laneAt) => layout(laneAt, ...laneBytes).at as [number, number, number]);
  const programs = regionsOf.map(([framesAt, panelsAt, cAt], lane) => {
    const program: Call[] = [];
    const [from, to] = bands[lane]!;
    for (let first = from; first < to; first += blockImages) {
      const images = Math.min(blockImages, to - first);
      program.push(
        (kernel === 'one channel' ? frame.place : frame.placeInPlanes)(imageAt, first, images, framesAt),
        [PACK, gradientAt + first * pixelsPerImage * outChannels * 4, panelsAt, images * pixelsPerImage, columns, outChannels],
        [
          ...(kernel === 'one channel' ? [FILTER_GRADIENT_ONE_CHANNEL] : [FILTER_GRADIENT_FRAMES]),
          framesAt, panelsAt, cAt, images, window.outHeight, window.outWidth, frame.frameHeight, frame.frameWidth,
          ...(kernel === 'one channel' ? [] : [planeChannels]),
          kernelHeight, kernelWidth, window.strideHeight, window.strideWidth, window.dilationHeight, window.dilationWidth,
          ...(kernel === 'one channel' ? [outChannels, outChannels] : [outChannels]),
          first > from ? 1 : 0,
        ],
      );
    }
    return program;
  });
  for (const band of bands.slice(1)) copyIn(band);
  host.execute(programs, { before: () => copyIn(bands[0]!) });
  // Each lane's C holds the sum over its band (lanes with no images wrote none), added in lane order; of each
  // position's planeChannels rows, the first `channels`.
  const rowsOf = (cAt: number) => {
    const share = heap.subarray(cAt / 4, cAt / 4 + kernelHeight * kernelWidth * planeChannels * outChannels);
    if (planeChannels === channels) return share;
    const kept = new Float32Array(taps * outChannels);
    for (let position = 0; position < kernelHeight * kernelWidth; position++) {
      kept.set(share.subarray(position * planeChannels * outChannels, (position * planeChannels + channels) * outChannels), position * channels * outChannels);
    }
    return kept;
  };
  let written = false;
  regionsOf.forEach(([, , cAt], lane) => {
    const [from, to] = bands[lane]!;
    if (to <= from) return;
    const share = rowsOf(cAt);
    if (!written) out.set(share);
    else for (let i = 0; i < share.length; i++) out[i] = out[i]! + share[i]!;
    written = true;
  });
  if (!written) out.fill(0, 0, taps * outChannels);
}
