import { filterGradientInFrames, filterGradientInFramesBy, convolveInFrames, convolvesInFrames } from './frame-convolution';
import { TILE_COLUMNS, TILE_ROWS } from './gemm-module';
import { convolveByWinograd, convolvesByWinograd, filterGradientByWinograd } from './winograd-convolution';
import { relaxedGemmPolicy } from './gemm-policy';
import { BLOCK_BYTES, filterGradientOperands, filterGradientScratch, functionIndex, layout, regions, roundUp } from './heap-layout';
import type { ProductHost } from './product-host';
import type { Call, Shape4D, Window } from './relaxed-gemm';

/**
 * The product's convolution passes (Gemm's convolve, filterGradient and
 * inputGradient, relaxed-gemm.ts): by Winograd's F(2×2, 3×3) where
 * winograd-convolution.ts takes them, from frames where a kernel of
 * frame-convolution.ts does, else through im2col (or col2im) a block at a
 * time, on the lanes the host lends.
 */

const [PACK, GEMM, IM2COL, IM2COL_TRANSPOSED, COL2IM, PACK_A, GEMM_PACKED] = (
  ['pack', 'gemm', 'im2col', 'im2colTransposed', 'col2im', 'packA', 'gemmPacked'] as const
).map(functionIndex) as [number, number, number, number, number, number, number];

/** The im2col call for `count` output pixels from `first` on, as rows of A, or transposed with rows `pitch` floats apart. */
function im2colCall(imageAt: number, rowsAt: number, imageShape: Shape4D, filterShape: Shape4D, window: Window, first: number, count: number, pitch: number | null): Call {
  const [, height, width, channels] = imageShape;
  const [kernelHeight, kernelWidth] = filterShape;
  const args = [
    imageAt, rowsAt, height, width, channels, kernelHeight, kernelWidth,
    window.strideHeight, window.strideWidth, window.padTop, window.padLeft,
    window.dilationHeight, window.dilationWidth, window.outHeight, window.outWidth, first, count,
  ];
  return pitch === null ? [IM2COL, ...args] : [IM2COL_TRANSPOSED, ...args, pitch];
}

/** out [batch, outHeight, outWidth, out channels] = the convolution of an NHWC image with a [kh, kw, in, out] filter (Gemm.convolve). */
export function convolve(host: ProductHost, image: Float32Array, imageShape: Shape4D, filter: Float32Array, filterShape: Shape4D, window: Window, out: Float32Array): void {
  const [batch, height, width, channels] = imageShape;
  const [kernelHeight, kernelWidth, inChannels, outChannels] = filterShape;
  if (inChannels !== channels) throw new Error(`convolve: the filter takes ${inChannels} channels, the image has ${channels}`);
  const pixels = batch * window.outHeight * window.outWidth;
  const k = kernelHeight * kernelWidth * channels;
  if (image.length < batch * height * width * channels || filter.length < k * outChannels || out.length < pixels * outChannels) {
    throw new Error('convolve: arrays too short for their shapes');
  }
  if (convolvesByWinograd(imageShape, filterShape, window)) {
    convolveByWinograd(host, image, imageShape, filter, filterShape, window, out);
    return;
  }
  if (relaxedGemmPolicy.framesWithoutIm2col && convolvesInFrames(imageShape, filterShape, window) !== null) {
    convolveInFrames(host, image, imageShape, filter, filterShape, window, out);
    return;
  }
  const columns = roundUp(outChannels, TILE_COLUMNS);
  const rows = roundUp(pixels, TILE_ROWS);
  const blockRows = Math.min(rows, Math.max(TILE_ROWS, Math.floor(BLOCK_BYTES / (k * 4) / TILE_ROWS) * TILE_ROWS));
  const blocks = Math.ceil(pixels / blockRows);
  const laneCount = Math.min(host.lanes.lanesFor(pixels * k * outChannels), blocks);
  // Few channels: im2col transposed, one row per tap (blockRows floats, a whole number of tiles), read as A transposed.
  const transposed = channels < relaxedGemmPolicy.transposedIm2colBelow;
  // The image read and C written in place where tfjs's heap holds them (C if its last tile has no rows past it).
  const imageInPlace = host.addressOf(image, batch * height * width * channels);
  const cInPlace = pixels % TILE_ROWS === 0 ? host.addressOf(out, pixels * outChannels) : null;
  const { at, heap } = host.scratch(
    imageInPlace === null ? batch * height * width * channels * 4 : 0,
    (k * outChannels + TILE_COLUMNS) * 4,
    k * columns * 4,
    cInPlace === null ? rows * outChannels * 4 : 0,
    laneCount * roundUp(blockRows * k * 4, 16),
  );
  const [imageCopy, filterAt, panelsAt, cCopy, blocksAt] = at as [number, number, number, number, number];
  const [imageAt, cAt] = [imageInPlace ?? imageCopy, cInPlace ?? cCopy];
  if (imageInPlace === null) heap.set(image.subarray(0, batch * height * width * channels), imageAt / 4);
  host.packB(heap, filter, k, outChannels, columns, filterAt, panelsAt);
  // Blocks of output pixels go to the lanes in turn; each lane has its own rows of A, and writes its blocks' rows of C.
  const aOf = regions(blocksAt, blockRows * k * 4, laneCount);
  const programs: Call[][] = aOf.map(() => []);
  for (let block = 0; block < blocks; block++) {
    const first = block * blockRows;
    const count = Math.min(blockRows, pixels - first);
    const lane = block % laneCount;
    const aAt = aOf[lane]!;
    const [aStride, aColumnStride] = transposed ? [1, blockRows] : [k, 1];
    programs[lane]!.push(
      im2colCall(imageAt, aAt, imageShape, filterShape, window, first, count, transposed ? blockRows : null),
      [GEMM, aAt, aStride, aColumnStride, panelsAt, cAt + first * outChannels * 4, roundUp(count, TILE_ROWS), k, outChannels, 0, outChannels],
    );
  }
  host.execute(programs);
  if (cInPlace === null) out.set(heap.subarray(cAt / 4, cAt / 4 + pixels * outChannels));
}

/** out [kh, kw, in, out] = the convolution's gradient with respect to its filter (Gemm.filterGradient). */
export function filterGradient(
  host: ProductHost,
  image: Float32Array,
  imageShape: Shape4D,
  outputGradient: Float32Array,
  filterShape: Shape4D,
  window: Window,
  out: Float32Array,
): void {
  const [batch, height, width, channels] = imageShape;
  const [kernelHeight, kernelWidth, inChannels, outChannels] = filterShape;
  if (inChannels !== channels) throw new Error(`filterGradient: the filter takes ${inChannels} channels, the image has ${channels}`);
  const pixels = batch * window.outHeight * window.outWidth;
  const taps = kernelHeight * kernelWidth * channels;
  if (image.length < batch * height * width * channels || outputGradient.length < pixels * outChannels || out.length < taps * outChannels) {
    throw new Error('filterGradient: arrays too short for their shapes');
  }
  if (convolvesByWinograd(imageShape, filterShape, window)) {
    filterGradientByWinograd(host, image, imageShape, outputGradient, filterShape, window, out);
    return;
  }
  if (relaxedGemmPolicy.framesWithoutIm2col && filterGradientInFramesBy(imageShape, window) !== null) {
    filterGradientInFrames(host, image, imageShape, outputGradient, filterShape, window, out);
    return;
  }
  // C [taps × out channels] = Σ over blocks of pixels of im2colᵀ · dy's rows (packed): the packed operand is the
  // narrow one, and C comes out in the filter's layout. im2col is read transposed in place, or, for few channels,
  // written transposed (one row of blockPixels floats per tap, and rows past the last tap that only reach C's padding).
  const rows = roundUp(taps, TILE_ROWS);
  const columns = roundUp(outChannels, TILE_COLUMNS);
  const blockPixels = Math.min(pixels, Math.max(1, Math.floor(BLOCK_BYTES / (taps * 4))));
  const blocks = Math.ceil(pixels / blockPixels);
  const laneCount = Math.min(host.lanes.lanesFor(pixels * taps * outChannels), blocks);
  const transposed = channels < relaxedGemmPolicy.transposedIm2colBelow;
  const im2colBytes = transposed ? rows * blockPixels * 4 : (blockPixels * taps + TILE_ROWS) * 4;
  // Per lane: the im2col block, dy's panels, C in the filter's width (and the floats past it that adding to its
  // last tile reads), and the block packed as A (im2col as rows only).
  const laneBytes = [im2colBytes, blockPixels * columns * 4, (rows * outChannels + TILE_COLUMNS) * 4, transposed ? 0 : rows * blockPixels * 4].map((b) =>
    roundUp(b, 16),
  );
  const operands = filterGradientOperands(host, image, batch * height * width * channels, outputGradient, pixels * outChannels);
  const { imageInPlace, gradientInPlace } = operands;
  const { heap, imageAt, gradientAt, lanesAt } = filterGradientScratch(host, operands, laneCount * laneBytes.reduce((a, b) => a + b));
  if (imageInPlace === null) heap.set(image.subarray(0, batch * height * width * channels), imageAt / 4);
  if (gradientInPlace === null) heap.set(outputGradient.subarray(0, pixels * outChannels), gradientAt / 4);
  // Each lane sums its blocks of pixels (taken in turn) into a C of its own: im2col block, panels and C.
  const regionsOf = regions(lanesAt, laneBytes.reduce((a, b) => a + b), laneCount).map((laneAt) => layout(laneAt, ...laneBytes).at as [number, number, number, number]);
  const programs: Call[][] = regionsOf.map(() => []);
  const [aStride, aColumnStride] = transposed ? [blockPixels, 1] : [1, taps];
  for (let block = 0; block < blocks; block++) {
    const first = block * blockPixels;
    const count = Math.min(blockPixels, pixels - first);
    const lane = block % laneCount;
    const [blockAt, panelsAt, cAt, packedAt] = regionsOf[lane]!;
    const program = programs[lane]!;
    program.push(im2colCall(imageAt, blockAt, imageShape, filterShape, window, first, count, transposed ? blockPixels : null));
    program.push([PACK, gradientAt + first * outChannels * 4, panelsAt, count, columns, outChannels]);
    const accumulate = block >= laneCount ? 1 : 0;
    if (transposed || !relaxedGemmPolicy.packA) program.push([GEMM, blockAt, aStride, aColumnStride, panelsAt, cAt, rows, count, outChannels, accumulate, outChannels]);
    else {
      // im2col read transposed has each tile's 4 taps side by side: packed with one vector copy a pixel, then
      // multiplied from one pointer (up to a third faster for 32 and 64 channels).
      program.push([PACK_A, blockAt, aStride, aColumnStride, rows, count, packedAt]);
      program.push([GEMM_PACKED, packedAt, panelsAt, cAt, rows, count, outChannels, accumulate, outChannels]);
    }
  }
  host.execute(programs);
  // Each C's first rows are its lane's share of the gradient, [taps × out channels], added in lane order.
  regionsOf.forEach(([, , cAt], lane) => {
    const share = heap.subarray(cAt / 4, cAt / 4 + taps * outChannels);
    if (lane === 0) out.set(share);
    else for (let i = 0; i < share.length; i++) out[i] = out[i]! + share[i]!;
  });
}

/** out [batch, height, width, in] = the convolution's gradient with respect to its image, col2im of dy·Wᵀ (Gemm.inputGradient). */
export function inputGradient(
  host: ProductHost,
  outputGradient: Float32Array,
  filter: Float32Array,
  filterShape: Shape4D,
  imageShape: Shape4D,
  window: Window,
  out: Float32Array,
): void {
  const [batch, height, width, channels] = imageShape;
  const [kernelHeight, kernelWidth, inChannels, outChannels] = filterShape;
  if (inChannels !== channels) throw new Error(`inputGradient: the filter takes ${inChannels} channels, the image has ${channels}`);
  const pixelsPerImage = window.outHeight * window.outWidth;
  const pixels = batch * pixelsPerImage;
  const taps = kernelHeight * kernelWidth * channels;
  const imageSize = batch * height * width * channels;
  if (outputGradient.length < pixels * outChannels || filter.length < taps * outChannels || out.length < imageSize) {
    throw new Error('inputGradient: arrays too short for their shapes');
  }
  // cols [pixels × taps] = dy [pixels × out] · Wᵀ [out × taps], whole images per block (each lane adds its
  // blocks' cols into its own images), every block's cols staying in cache until col2im has read them.
  const columns = roundUp(taps, TILE_COLUMNS);
  const imagesPerBlock = Math.max(1, Math.min(batch, Math.floor(BLOCK_BYTES / (pixelsPerImage * columns * 4))));
  const blocks = Math.ceil(batch / imagesPerBlock);
  const laneCount = Math.min(host.lanes.lanesFor(pixels * outChannels * taps), blocks);
  const blockRows = roundUp(imagesPerBlock * pixelsPerImage, TILE_ROWS);
  const transposedFilter = new Float32Array(outChannels * taps);
  for (let tap = 0; tap < taps; tap++) for (let o = 0; o < outChannels; o++) transposedFilter[o * taps + tap] = filter[tap * outChannels + o]!;
  // dy read in place if each block's rows are whole tiles (else the last tile reads rows past dy's end), and the
  // image written in place (col2im sets each image it adds to), where tfjs's heap holds them.
  const gradientInPlace = pixelsPerImage % TILE_ROWS === 0 ? host.addressOf(outputGradient, pixels * outChannels) : null;
  const imageInPlace = host.addressOf(out, imageSize);
  const { at, heap } = host.scratch(
    gradientInPlace === null ? (pixels + TILE_ROWS) * outChannels * 4 : 0,
    (outChannels * taps + TILE_COLUMNS) * 4,
    outChannels * columns * 4,
    imageInPlace === null ? imageSize * 4 : 0,
    laneCount * roundUp(blockRows * columns * 4, 16),
  );
  const [gradientCopy, filterAt, panelsAt, imageCopy, colsAt] = at as [number, number, number, number, number];
  const [gradientAt, imageAt] = [gradientInPlace ?? gradientCopy, imageInPlace ?? imageCopy];
  if (gradientInPlace === null) heap.set(outputGradient.subarray(0, pixels * outChannels), gradientAt / 4);
  host.packB(heap, transposedFilter, outChannels, taps, columns, filterAt, panelsAt);
  const colsOf = regions(colsAt, blockRows * columns * 4, laneCount);
  const programs: Call[][] = colsOf.map(() => []);
  for (let block = 0; block < blocks; block++) {
    const firstImage = block * imagesPerBlock;
    const images = Math.min(imagesPerBlock, batch - firstImage);
    const lane = block % laneCount;
    const colsAtLane = colsOf[lane]!;
    programs[lane]!.push(
      [GEMM, gradientAt + firstImage * pixelsPerImage * outChannels * 4, outChannels, 1, panelsAt, colsAtLane, roundUp(images * pixelsPerImage, TILE_ROWS), outChannels, columns, 0, columns],
      [
        COL2IM, colsAtLane, columns, imageAt, height, width, channels, kernelHeight, kernelWidth,
        window.strideHeight, window.strideWidth, window.padTop, window.padLeft,
        window.dilationHeight, window.dilationWidth, window.outHeight, window.outWidth, firstImage, images,
      ],
    );
  }
  host.execute(programs);
  if (imageInPlace === null) out.set(heap.subarray(imageAt / 4, imageAt / 4 + imageSize));
}
