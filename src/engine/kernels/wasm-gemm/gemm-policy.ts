/**
 * When the kernels use the relaxed-SIMD product. Below `minWork` multiply-adds
 * the stock kernels are kept: copying the operands into the product's memory
 * would cost more than it saves. Convolutions of fewer than
 * `transposedIm2colBelow` channels write im2col transposed, one row per tap:
 * for one channel at stride 1 those rows are runs of consecutive floats,
 * where rows of A would be a few floats per kernel row (measured: the first
 * layers of LeNet-5, 1 channel, and ResNet, 3, are then faster on the
 * product than on XNNPACK, which reads the image in place; 6 channels and
 * more are faster as rows).
 * Input gradients are col2im of dy·Wᵀ where that product is under
 * `col2imShare` of the convolution that would compute them otherwise
 * (conv2d-backprop-input.ts).
 * With `packA`, plain products and filter gradients (im2col as rows) pack A
 * into tiles of 4 rows before multiplying: 7–18% faster products, 17–36%
 * faster filter gradients for 32 and 64 channels.
 * With `framesWithoutIm2col`, convolutions and filter gradients that a frame
 * kernel takes read the padded image in place (frame-convolution.ts).
 * Products of fewer than `minThreadedWork` multiply-adds stay on one thread,
 * where waking the others would cost more than they save. Threaded products
 * of n ≥ m·`splitColumnsFrom` split B's columns over the lanes, the rest A's
 * rows (measured: the MLP's first layer 780 → 700 µs, its weight gradient
 * 667 → 650 µs, on two threads).
 * Channel passes (BatchNorm, the ReLU gradient) over fewer than `minThreadedPassFloats` floats stay on one thread
 * where the product's threads could take shares (HeapLanes).
 * 3×3 convolutions at stride 1 with at least `winogradFromChannels` input and output channels, and their filter
 * gradients, run by Winograd's F(2×2, 3×3) (winograd-convolution.ts; in tfjs's heap on two threads, ResNet-20's
 * 16-channel layer 6.6 → 5.5 ms forward and 7.1 → 5.2 ms filter gradient, its 64-channel layer 6.4 → 3.6 and
 * 6.9 → 4.1; at 8 channels the filter gradient was slower). Their blocks: about `winogradBlockFloats` floats of a
 * plane of transformed tiles (whole images, or rows of tiles of one), and at least `winogradSumTiles` tiles summed
 * by each product of a filter gradient (blocks from 8k to 128k floats and 128 to 2048 tiles measured the same).
 * Tests lower them to run every shape on the product and its threads.
 */
export const relaxedGemmPolicy = {
  minWork: 16_384,
  minThreadedWork: 1 << 20,
  transposedIm2colBelow: 4,
  col2imShare: 0.8,
  packA: true,
  framesWithoutIm2col: true,
  splitColumnsFrom: 1,
  minThreadedPassFloats: 1 << 16,
  winogradFromChannels: 16,
  winogradBlockFloats: 16_384,
  winogradSumTiles: 256,
};
