import type { BufferSpec, LayerPosition, ParamRole, ParamSpec } from '../models/network';
import type { Rng } from '../train/rng';

/**
 * Collects the parameters and buffers of a network as its layers are declared.
 * Each layer keeps the indices it was given and reads its tensors from the
 * forward context, so one declaration serves any number of parameter copies
 * (the two recipes of a paired run, GradInit's rescaled copy, a scorer's copy).
 */
export class NetworkBuilder {
  readonly params: ParamSpec[] = [];
  readonly buffers: BufferSpec[] = [];

  addParam(spec: {
    name: string;
    shape: readonly number[];
    role: ParamRole;
    prunable: boolean;
    position: LayerPosition;
    ghost?: boolean;
    init: (rng: Rng) => Float32Array;
  }): number {
    if (this.params.some((p) => p.name === spec.name)) throw new Error(`Duplicate parameter name ${spec.name}`);
    this.params.push(spec);
    return this.params.length - 1;
  }

  addBuffer(spec: BufferSpec): number {
    this.buffers.push(spec);
    return this.buffers.length - 1;
  }
}

export function filled(size: number, value: number): Float32Array {
  return new Float32Array(size).fill(value);
}
