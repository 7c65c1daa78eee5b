import type { Network } from '../models/network';
import type { MaskSet } from './mask';

/** Cells per side of a layer's mask picture at most. */
export const PICTURE_SIZE = 48;
/** A layer is called nearly empty below this share, or below this count once it has lost most of its weights. */
export const NEARLY_EMPTY_SHARE = 0.005;
export const NEARLY_EMPTY_COUNT = 8;
const MOSTLY_PRUNED_SHARE = 0.25;

export interface MaskLayerPicture {
  readonly name: string;
  readonly size: number;
  readonly kept: number;
  /** Output units (rows: linear outputs or conv filters) and inputs per unit (columns). */
  readonly units: number;
  readonly fanIn: number;
  /** Output units whose every incoming weight is pruned. */
  readonly unitsWithoutInputs: number;
  /** The mask as a grid of at most PICTURE_SIZE² cells: kept share of the weights in each cell, row-major. */
  readonly grid: { readonly rows: number; readonly cols: number; readonly kept: readonly number[] };
}

/**
 * A masked tensor seen as units × inputs. Linear weights are [out, in];
 * conv weights are [kh, kw, in, out], so unit o's inputs are every (kh, kw, in)
 * entry at stride `out`.
 */
function unitView(shape: readonly number[]): { units: number; fanIn: number; at: (unit: number, input: number) => number } {
  if (shape.length === 2) {
    const [out, inputs] = shape as [number, number];
    return { units: out, fanIn: inputs, at: (unit, input) => unit * inputs + input };
  }
  const out = shape[shape.length - 1]!;
  const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return { units: out, fanIn, at: (unit, input) => input * out + unit };
}

export function pictureMask(name: string, shape: readonly number[], mask: Uint8Array): MaskLayerPicture {
  const { units, fanIn, at } = unitView(shape);
  const rows = Math.min(units, PICTURE_SIZE);
  const cols = Math.min(fanIn, PICTURE_SIZE);
  const keptCells = new Array<number>(rows * cols).fill(0);
  const cellSizes = new Array<number>(rows * cols).fill(0);
  let kept = 0;
  let unitsWithoutInputs = 0;
  for (let unit = 0; unit < units; unit++) {
    const row = Math.floor((unit * rows) / units);
    let unitKept = 0;
    for (let input = 0; input < fanIn; input++) {
      const bit = mask[at(unit, input)]!;
      const cell = row * cols + Math.floor((input * cols) / fanIn);
      keptCells[cell]! += bit;
      cellSizes[cell]! += 1;
      unitKept += bit;
    }
    kept += unitKept;
    if (unitKept === 0) unitsWithoutInputs += 1;
  }
  return {
    name,
    size: mask.length,
    kept,
    units,
    fanIn,
    unitsWithoutInputs,
    grid: { rows, cols, kept: keptCells.map((k, i) => k / cellSizes[i]!) },
  };
}

/** Pictures of every masked tensor, in network order. */
export function pictureMasks(network: Network, masks: MaskSet): MaskLayerPicture[] {
  return network.params.flatMap((param) => {
    const mask = masks.get(param.name);
    return mask ? [pictureMask(param.name, param.shape, mask)] : [];
  });
}

/** Plain-language warnings about layers a network can hardly learn through. */
export function maskWarnings(pictures: readonly MaskLayerPicture[]): string[] {
  const warnings: string[] = [];
  for (const layer of pictures) {
    if (layer.kept === 0) warnings.push(`${layer.name} keeps no weights: nothing flows through it (layer collapse).`);
    else if (layer.kept / layer.size < NEARLY_EMPTY_SHARE || (layer.kept < NEARLY_EMPTY_COUNT && layer.kept / layer.size < MOSTLY_PRUNED_SHARE)) {
      warnings.push(`${layer.name} keeps only ${layer.kept} of ${layer.size.toLocaleString('en-US')} weights.`);
    }
    if (layer.kept > 0 && layer.unitsWithoutInputs > 0) {
      warnings.push(`${layer.unitsWithoutInputs} of ${layer.units} units of ${layer.name} have no input weights left.`);
    }
  }
  return warnings;
}
