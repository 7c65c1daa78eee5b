import { frameOf, imageBands } from './frame-convolution';
import { TILE_COLUMNS, TILE_ROWS } from './gemm-module';
import { relaxedGemmPolicy } from './gemm-policy';
import { functionIndex, layout, regions, roundUp } from './heap-layout';
import type { ProductHost } from './product-host';
import type { Call, Shape4D, Window } from './relaxed-gemm';

/**
 * 3×3 convolutions at stride 1 and their filter gradients by Winograd's F(2×2, 3×3) (winograd-functions.ts): 16
 * multiply-adds per pair of channels and 2×2 output pixels instead of 36, so 2.25× fewer, at the cost of
 * transforming each image's tiles and each output tile. Lanes take bands of images; each lane, a block of images
 * at a time, places them into frames, transforms their tiles, multiplies the 16 planes and transforms the products
 * back into the output (or, for the filter gradient, sums them). The results differ from the direct convolution's
 * by float32 roundoff of the transforms (their weights are 0, ±1 and ±½).
 */

const [GEMM_PACKED, ADD_VECTORS, WINOGRAD_FILTER, WINOGRAD_INPUT, WINOGRAD_INPUT_IN_FOURS, WINOGRAD_OUTPUT, WINOGRAD_GRADIENT_TILES, WINOGRAD_FILTER_GRADIENT] = (
  [
    'gemmPacked', 'addVectors', 'winogradFilter', 'winogradInput', 'winogradInputInFours', 'winogradOutput', 'winogradGradientTiles', 'winogradFilterGradient',
  ] as const
).map(functionIndex) as [number, number, number, number, number, number, number, number];

/** Runs of input channels, one per lane (some empty where there are more lanes than channels). */
const channelRuns = (channels: number, laneCount: number) =>
  Array.from({ length: laneCount }, (_, lane) => [Math.floor((channels * lane) / laneCount), Math.floor((channels * (lane + 1)) / laneCount)] as const);

const POSITIONS = 16;

/** Multiply-adds of the products per output pixel and pair of channels: 16 a tile of 4 pixels. */
const MULTIPLY_ADDS_PER_PIXEL = POSITIONS / 4;

/**
 * Bytes from one plane of a transform to the next: a transform writes or reads a vector in each of the 16 planes in
 * turn, and planes a multiple of 4 KB apart fall in one set of L1 (12 ways on the development machine), so each
 * pass evicted its own lines: the tiles' transform of ResNet-20's 16-channel layer took 7 ms of its 16. One line
 * past whole pages puts the 16 in 16 sets.
 */
const planeStride = (bytes: number) => roundUp(bytes, 4096) + 64;

/**
 * Whether Winograd takes a convolution and its filter gradient: a 3×3 filter at stride 1 without dilation, padded by
 * 1 on every side (the output the image's size), an even height and width whose tiles per image are whole tiles of
 * rows of the product, input channels in whole vectors and output channels in whole panels, and at least
 * `winogradFromChannels` of them.
 */
export function convolvesByWinograd(imageShape: Shape4D, filterShape: Shape4D, window: Window): boolean {
  const [, height, width, channels] = imageShape;
  const [kernelHeight, kernelWidth, , outChannels] = filterShape;
  return (
    kernelHeight === 3 && kernelWidth === 3 &&
    window.strideHeight === 1 && window.strideWidth === 1 && window.dilationHeight === 1 && window.dilationWidth === 1 &&
    window.padTop === 1 && window.padLeft === 1 && window.outHeight === height && window.outWidth === width &&
    height % 2 === 0 && width % 2 === 0 && ((height / 2) * (width / 2)) % TILE_ROWS === 0 &&
    channels % 4 === 0 && outChannels % TILE_COLUMNS === 0 && Math.min(channels, outChannels) >= relaxedGemmPolicy.winogradFromChannels
  );
}

/** What both passes need first: the shapes, the tiles, the frames the images go into, and how many lanes take them. */
function winogradPass(host: ProductHost, imageShape: Shape4D, filterShape: Shape4D, window: Window, pass: string) {
  if (!convolvesByWinograd(imageShape, filterShape, window)) throw new Error(`${pass}: Winograd F(2×2, 3×3) does not take this convolution`);
  const [batch, height, width, channels] = imageShape;
  const outChannels = filterShape[3];
  const [tilesDown, tilesAcross] = [height / 2, width / 2];
  // Lanes as for the direct convolution's multiply-adds, at most one per image.
  const laneCount = Math.min(host.lanes.lanesFor(batch * height * width * 9 * channels * outChannels), batch);
  return { batch, height, width, channels, outChannels, tilesDown, tilesAcross, tilesPerImage: tilesDown * tilesAcross, frame: frameOf(imageShape, filterShape, window), laneCount };
}

/** out [batch, height, width, out channels] = the convolution of an NHWC image with a [3, 3, in, out] filter, by Winograd (convolvesByWinograd says when). */
export function convolveByWinograd(
  host: ProductHost,
  image: Float32Array,
  imageShape: Shape4D,
  filter: Float32Array,
  filterShape: Shape4D,
  window: Window,
  out: Float32Array,
): void {
  const { batch, height, width, channels, outChannels, tilesDown, tilesAcross, tilesPerImage, frame, laneCount } = winogradPass(host, imageShape, filterShape, window, 'convolveByWinograd');
  // Blocks of tiles whose transforms (V and M, 16 planes each) stay in L2 while the filter's planes pass over them:
  // whole images where an image has fewer tiles, else runs of rows of tiles of one image (whole tiles of the product).
  const blockTarget = Math.max(TILE_ROWS, Math.floor(relaxedGemmPolicy.winogradBlockFloats / Math.max(channels, outChannels)));
  const blockImages = Math.max(1, Math.min(batch, Math.floor(blockTarget / tilesPerImage)));
  let blockRows = blockImages > 1 ? tilesDown : Math.max(1, Math.min(tilesDown, Math.floor(blockTarget / tilesAcross)));
  while ((blockRows * tilesAcross) % TILE_ROWS !== 0) blockRows++;
  const blockTiles = blockImages * Math.min(blockRows, tilesDown) * tilesAcross;
  const imageFloats = batch * height * width * channels;
  const outFloats = batch * height * width * outChannels;
  const filterFloats = 9 * channels * outChannels;
  const imageInPlace = host.addressOf(image, imageFloats);
  const filterInPlace = host.addressOf(filter, filterFloats);
  const outInPlace = host.addressOf(out, outFloats);
  const vPlaneBytes = planeStride(blockTiles * channels * 4);
  const mPlaneBytes = planeStride(blockTiles * outChannels * 4);
  const laneBytes = [blockImages * frame.frameBytes, POSITIONS * vPlaneBytes, POSITIONS * mPlaneBytes];
  const { at, heap } = host.scratch(
    imageInPlace === null ? imageFloats * 4 : 0,
    filterInPlace === null ? filterFloats * 4 : 0,
    POSITIONS * channels * outChannels * 4,
    outInPlace === null ? outFloats * 4 : 0,
    laneCount * laneBytes.map((b) => roundUp(b, 16)).reduce((a, b) => a + b),
  );
  const [imageCopy, filterCopy, uAt, outCopy, lanesAt] = at as [number, number, number, number, number];
  const [imageAt, filterAt, outAt] = [imageInPlace ?? imageCopy, filterInPlace ?? filterCopy, outInPlace ?? outCopy];
  if (filterInPlace === null) heap.set(filter.subarray(0, filterFloats), filterAt / 4);
  // The filter's transform, lanes taking runs of input channels.
  host.execute(
    channelRuns(channels, laneCount).map(([from, to]) => (to > from ? [[WINOGRAD_FILTER, filterAt + from * outChannels * 4, uAt + from * TILE_COLUMNS * 4, channels, outChannels, to - from]] : [])),
  );
  const copied = (imageInPlace === null ? height * width * channels : 0) + (outInPlace === null ? height * width * outChannels : 0);
  const bands = imageBands(batch, laneCount, copied, MULTIPLY_ADDS_PER_PIXEL * height * width * channels * outChannels);
  const ownFirst = bands[0]![0];
  const programs = regions(lanesAt, laneBytes.map((b) => roundUp(b, 16)).reduce((a, b) => a + b), laneCount).map((laneAt, lane) => {
    const [framesAt, vAt, mAt] = layout(laneAt, ...laneBytes).at as [number, number, number];
    const program: Call[] = [];
    const [from, to] = bands[lane]!;
    const frameRowBytes = frame.frameWidth * channels * 4;
    const outRowBytes = width * outChannels * 4;
    for (let first = from; first < to; first += blockImages) {
      const images = Math.min(blockImages, to - first);
      program.push(frame.place(imageAt, first, images, framesAt));
      for (let row = 0; row < tilesDown; row += blockRows) {
        const rows = images > 1 ? tilesDown : Math.min(blockRows, tilesDown - row);
        const tiles = images * rows * tilesAcross;
        program.push(
          // V_ξ packed in tiles of 4 tiles, as packA packs rows, for gemmPacked (48–49 GFLOP/s on one thread against gemm's 41–45 on these shapes).
          [WINOGRAD_INPUT_IN_FOURS, framesAt + 2 * row * frameRowBytes, vAt, images, rows, tilesAcross, frameRowBytes, frame.frameBytes, channels, vPlaneBytes, 4, channels * 16 - 12, 64],
          ...Array.from({ length: POSITIONS }, (_, position): Call => [
            GEMM_PACKED, vAt + position * vPlaneBytes, uAt + position * channels * outChannels * 4, mAt + position * mPlaneBytes, tiles, channels, outChannels, 0, outChannels,
          ]),
          [WINOGRAD_OUTPUT, mAt, outAt + first * height * width * outChannels * 4 + 2 * row * outRowBytes, images, rows, tilesAcross, outChannels, mPlaneBytes],
        );
      }
    }
    return program;
  });
  const copyIn = (first: number, last: number) => {
    if (imageInPlace === null) heap.set(image.subarray(first * height * width * channels, last * height * width * channels), imageAt / 4 + first * height * width * channels);
  };
  const copyOut = (first: number, last: number) => {
    if (outInPlace === null) out.set(heap.subarray(outAt / 4 + first * height * width * outChannels, outAt / 4 + last * height * width * outChannels), first * height * width * outChannels);
  };
  copyIn(0, ownFirst);
  host.execute(programs, { before: () => copyIn(ownFirst, batch), after: () => copyOut(ownFirst, batch) });
  copyOut(0, ownFirst);
}

/**
 * out [3, 3, in, out] = the gradient of a convolution that Winograd takes (convolvesByWinograd) with respect to its
 * filter, dy the output gradient: Gᵀ W G, W_ξ = Σ over tiles of V_ξᵀ · (A dy Aᵀ)_ξ. Lanes sum their bands of images,
 * a block of whole images at a time, each into W of its own; the lanes' W are added in lane order (the same sums for
 * the same number of lanes), then transformed, lanes taking runs of input channels.
 */
export function filterGradientByWinograd(
  host: ProductHost,
  image: Float32Array,
  imageShape: Shape4D,
  outputGradient: Float32Array,
  filterShape: Shape4D,
  window: Window,
  out: Float32Array,
): void {
  const { batch, height, width, channels, outChannels, tilesDown, tilesAcross, tilesPerImage, frame, laneCount } = winogradPass(host, imageShape, filterShape, window, 'filterGradientByWinograd');
  // Blocks of whole images, at least `winogradSumTiles` tiles where the bands have them: the products' sums run over
  // a block's tiles, so longer blocks add to each lane's W fewer times.
  const blockImages = Math.max(1, Math.min(batch, Math.ceil(relaxedGemmPolicy.winogradSumTiles / tilesPerImage)));
  const blockTiles = blockImages * tilesPerImage;
  const [imageFloats, gradientFloats, filterFloats] = [batch * height * width * channels, batch * height * width * outChannels, 9 * channels * outChannels];
  const imageInPlace = host.addressOf(image, imageFloats);
  const gradientInPlace = host.addressOf(outputGradient, gradientFloats);
  const outInPlace = host.addressOf(out, filterFloats);
  const wBytes = POSITIONS * channels * outChannels * 4;
  const [vPlaneBytes, panelPlaneBytes] = [planeStride(blockTiles * channels * 4), planeStride(blockTiles * outChannels * 4)];
  const laneBytes = [blockImages * frame.frameBytes, POSITIONS * vPlaneBytes, POSITIONS * panelPlaneBytes, wBytes].map((b) => roundUp(b, 16));
  const { at, heap } = host.scratch(
    imageInPlace === null ? imageFloats * 4 : 0,
    gradientInPlace === null ? gradientFloats * 4 : 0,
    outInPlace === null ? filterFloats * 4 : 0,
    laneCount * laneBytes.reduce((a, b) => a + b),
  );
  const [imageCopy, gradientCopy, outCopy, lanesAt] = at as [number, number, number, number];
  const [imageAt, gradientAt, outAt] = [imageInPlace ?? imageCopy, gradientInPlace ?? gradientCopy, outInPlace ?? outCopy];
  const copied = (imageInPlace === null ? height * width * channels : 0) + (gradientInPlace === null ? height * width * outChannels : 0);
  const bands = imageBands(batch, laneCount, copied, MULTIPLY_ADDS_PER_PIXEL * height * width * channels * outChannels);
  const copyIn = ([first, last]: readonly [number, number]) => {
    if (imageInPlace === null) heap.set(image.subarray(first * height * width * channels, last * height * width * channels), imageAt / 4 + first * height * width * channels);
    if (gradientInPlace === null) {
      heap.set(outputGradient.subarray(first * height * width * outChannels, last * height * width * outChannels), gradientAt / 4 + first * height * width * outChannels);
    }
  };
  const laneRegions = regions(lanesAt, laneBytes.reduce((a, b) => a + b), laneCount).map((laneAt) => layout(laneAt, ...laneBytes).at as [number, number, number, number]);
  const programs = laneRegions.map(([framesAt, vAt, panelsAt, wAt], lane) => {
    const program: Call[] = [];
    const [from, to] = bands[lane]!;
    for (let first = from; first < to; first += blockImages) {
      const images = Math.min(blockImages, to - first);
      const tiles = images * tilesPerImage;
      program.push(
        frame.place(imageAt, first, images, framesAt),
        [WINOGRAD_INPUT, framesAt, vAt, images, tilesDown, tilesAcross, frame.frameWidth * channels * 4, frame.frameBytes, channels, vPlaneBytes, 16, 16, tiles * 16],
        [WINOGRAD_GRADIENT_TILES, gradientAt + first * height * width * outChannels * 4, panelsAt, images, tilesDown, tilesAcross, outChannels, panelPlaneBytes, tiles],
        // W_ξ (+)= V_ξᵀ · Ŷ_ξ, V_ξᵀ packed in tiles of 4 channels.
        ...Array.from({ length: POSITIONS }, (_, position): Call => [
          GEMM_PACKED, vAt + position * vPlaneBytes, panelsAt + position * panelPlaneBytes, wAt + (position * wBytes) / POSITIONS,
          channels, tiles, outChannels, first > from ? 1 : 0, outChannels,
        ]),
      );
    }
    return program;
  });
  for (const band of bands.slice(1)) copyIn(band);
  host.execute(programs, { before: () => copyIn(bands[0]!) });
  // The lanes' W added in lane order into the first one's, then Gᵀ W G: lanes take runs of input channels.
  const sums = laneRegions.filter((_, lane) => bands[lane]![1] > bands[lane]![0]).map(([, , , wAt]) => wAt);
  const [total, ...others] = sums as [number, ...number[]];
  const planeBytes = wBytes / POSITIONS;
  host.execute(
    channelRuns(channels, laneCount).map(([from, to]): Call[] => {
      if (to <= from) return [];
      const offset = from * outChannels * 4;
      const vectors = ((to - from) * outChannels) / 4;
      return [
        ...others.flatMap((wAt) => Array.from({ length: POSITIONS }, (_, position): Call => {
          const [into, add] = [total + position * planeBytes + offset, wAt + position * planeBytes + offset];
          return [ADD_VECTORS, into, add, vectors, into];
        })),
        [WINOGRAD_FILTER_GRADIENT, total + offset, outAt + offset, channels, outChannels, to - from],
      ];
    }),
  );
  if (outInPlace === null) out.set(heap.subarray(outAt / 4, outAt / 4 + filterFloats));
}
