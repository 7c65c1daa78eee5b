import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../experiment/schema';
import { linearNetwork, tinyDataset } from './linear-network.test-support';
import { magnitudeMask } from './magnitude';
import { maskInputs } from './mask-inputs.test-support';

describe('magnitude at initialisation', () => {
  it('keeps the largest |w| of the initial draw, whatever the sign', async () => {
    const network = linearNetwork(3, 2);
    const experiment = { ...defaultExperiment, mask: 'magnitude' as const, sparsity: 0.5, denseLayers: 'none' as const };
    const inputs = maskInputs(network, experiment, tinyDataset(3, 2, 10), {
      initialValues: [Float32Array.from([0.3, -0.9, 0.1, -0.2, 0.5, -0.05])],
    });
    const { masks } = await magnitudeMask(inputs);
    expect([...masks.get('fc.weight')!]).toEqual([1, 1, 0, 0, 1, 0]);
  });
});
