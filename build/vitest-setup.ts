import * as tf from '@tensorflow/tfjs';
import './node-relaxed-simd';
import './node-shared-heap';

// node-shared-heap.ts registers the WASM backend in every test file, where before only the files that import it
// did; its start is asynchronous, so tfjs could not pick it by itself. Tests that do not choose a backend keep
// the CPU backend they had.
await tf.setBackend('cpu');
