import * as tf from '@tensorflow/tfjs';
import type { HostBatch } from '../data/dataset';
import type { ForwardContext, Network, ParamRole } from '../models/network';
import { softTargetCrossEntropy } from '../train/loss';
import { globalNorm, hessianVectorProduct } from '../train/hessian-vector';
import { RescaleAdam, type RescaleStepKind } from './rescale-adam';

/**
 * LRsI, "layer-wise rescaling of sparse initialization" (spec §1.4): GradInit
 * learns one non-negative scale α per tensor so that θ = α·θ₀ makes the first
 * step of training as useful as possible, under a bound on the gradient norm:
 *
 *   minimise over α   L(S̃; θ − η·g/‖g‖) / η   subject to ‖g‖ ≤ γ,  α ≥ floor,
 *
 * with g = ∇L(S; θ). Each iteration takes one of two steps: when ‖g‖ > γ it
 * lowers ‖g‖ (a Hessian-vector product), otherwise it lowers the look-ahead
 * loss (first order: g/‖g‖ is held fixed, as in the reference). Zeros of θ₀
 * stay zeros, so the mask survives.
 *
 * Choices where the reference leaves room (spec §6.6), documented in the README:
 * - the loss is plain cross-entropy, also when the recipe trains on smoothed
 *   labels: the reference's GradInit builds its own CrossEntropyLoss in both
 *   placements, and the scales then do not depend on the LS setting;
 * - `gradient: 'masked'` (default) forms g, its norm and the look-ahead from the
 *   masked gradient, the step sparse training actually takes; `'dense'` is the
 *   reference code, whose unmasked g lets the look-ahead revive pruned weights;
 * - the Hessian-vector product is a central finite difference of gradients:
 *   tfjs has no gradient for Conv2DBackpropFilter, and a gradient computed
 *   inside tf.grads is not recorded for an outer one, so nested tf.grad fails
 *   even for an MLP.
 */

export type LrsiGradient = 'masked' | 'dense';

export interface GradInitSettings {
  readonly iterations: number;
  /** RescaleAdam's learning rate. */
  readonly lr: number;
  /** η, the size of the simulated first step. */
  readonly eta: number;
  /** γ, the bound on ‖g‖. */
  readonly gamma: number;
  /** Floor of the scales of weights and BN γ (biases and BN β may reach 0). */
  readonly minScale: number;
  readonly gradClip: number;
  readonly gradient: LrsiGradient;
}

/** The reference's per-scalar gradient clip. */
export const GRADINIT_GRAD_CLIP = 1;

export interface GradInitProblem {
  readonly network: Network;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** θ₀ per network parameter, masked; read, never changed. */
  readonly initial: readonly tf.Tensor[];
  /** Per parameter, its mask (1 kept, 0 pruned) or null for a dense tensor. */
  readonly masks: readonly (tf.Tensor | null)[];
  /** Per parameter, whether it gets a scale (tensors with zero norm are skipped anyway). */
  readonly rescalable: readonly boolean[];
  /** Forward context for a set of parameter tensors; BatchNorm must use batch statistics and leave running ones alone. */
  context(params: readonly tf.Tensor[]): ForwardContext;
}

export interface GradInitIteration {
  /** 1-based. */
  readonly iteration: number;
  readonly iterations: number;
  readonly step: RescaleStepKind;
  /** Cross-entropy on S at the current scales. */
  readonly loss: number;
  /** ‖g‖ on S. */
  readonly gradNorm: number;
  /** L(S̃; θ − η·g/‖g‖)/η of an objective step; null for a constraint step. */
  readonly objective: number | null;
}

export interface GradInitHooks {
  /** Called after every iteration; awaited, so a host can yield or pause here. */
  onIteration?(iteration: GradInitIteration): void | Promise<void>;
  /** Checked before every iteration; true abandons GradInit. */
  shouldStop?(): boolean;
}

export interface GradInitResult {
  /** α per network parameter (1 for one that was not rescaled). */
  readonly scales: readonly number[];
  readonly rescaled: readonly boolean[];
  readonly constraintSteps: number;
  readonly objectiveSteps: number;
}

/** A learned scale, by parameter name, as hosts report it. */
export interface LrsiScale {
  readonly name: string;
  readonly role: ParamRole;
  readonly scale: number;
}

/** What LRsI did to one recipe's initialisation. */
export interface LrsiOutcome {
  readonly iterations: number;
  readonly constraintSteps: number;
  readonly objectiveSteps: number;
  /** One entry per rescaled tensor, in parameter order. */
  readonly scales: readonly LrsiScale[];
}

/** Weights and BN γ keep at least min_scale; biases and BN β may shrink to nothing (the reference's two groups). */
export function scaleFloor(role: ParamRole, minScale: number): number {
  return role === 'weight' || role === 'bn-weight' ? minScale : 0;
}

interface DeviceBatch {
  readonly x: tf.Tensor;
  readonly targets: tf.Tensor2D;
}

function toDevice(problem: GradInitProblem, parts: readonly HostBatch[]): DeviceBatch {
  const count = parts.reduce((n, p) => n + p.y.length, 0);
  const x = new Float32Array(parts.reduce((n, p) => n + p.x.length, 0));
  const y = new Int32Array(count);
  let xOffset = 0;
  let yOffset = 0;
  for (const part of parts) {
    x.set(part.x, xOffset);
    y.set(part.y, yOffset);
    xOffset += part.x.length;
    yOffset += part.y.length;
  }
  return tf.tidy(() => ({
    x: tf.tensor(x, [count, ...problem.inputShape]),
    targets: tf.oneHot(tf.tensor1d(y, 'int32'), problem.numClasses).toFloat() as tf.Tensor2D,
  }));
}

/** θ = α·θ₀ for the rescaled tensors, θ₀ itself for the others. Inside tidy. */
function scaledParams(problem: GradInitProblem, indices: readonly number[], scales: readonly number[]): tf.Tensor[] {
  const params = [...problem.initial];
  indices.forEach((index, k) => (params[index] = tf.mul(problem.initial[index]!, scales[k]!)));
  return params;
}

/** L(batch; params) and its gradient for every parameter. Inside tidy. */
function lossAndGradients(problem: GradInitProblem, params: readonly tf.Tensor[], batch: DeviceBatch): { loss: tf.Scalar; grads: tf.Tensor[] } {
  const loss = (...args: tf.Tensor[]) => softTargetCrossEntropy(problem.network.forward(batch.x, problem.context(args)), batch.targets);
  const { value, grads } = tf.valueAndGrads(loss)(params as tf.Tensor[]);
  return { loss: value, grads };
}

/** g/‖g‖ (zero for a zero gradient) and ‖g‖, with g masked or not. Inside tidy. */
function unitDirection(problem: GradInitProblem, grads: readonly tf.Tensor[], gradient: LrsiGradient): { norm: tf.Scalar; direction: tf.Tensor[] } {
  const g = gradient === 'masked' ? grads.map((t, i) => (problem.masks[i] ? tf.mul(t, problem.masks[i]!) : t)) : grads;
  const norm = globalNorm(g);
  const divisor = tf.maximum(norm, 1e-30);
  return { norm, direction: g.map((t) => tf.div(t, divisor)) };
}

/** ∂J/∂α_p = ⟨∂J/∂θ_p, θ₀_p⟩ for each rescaled tensor, since θ_p = α_p·θ₀_p. Inside tidy. */
function projectOnInitial(problem: GradInitProblem, indices: readonly number[], grads: readonly tf.Tensor[]): tf.Tensor1D {
  return tf.stack(indices.map((index) => tf.sum(tf.mul(grads[index]!, problem.initial[index]!)))) as tf.Tensor1D;
}

/**
 * ∂‖g‖/∂α for each rescaled tensor: ∂‖g‖/∂θ = H·g/‖g‖ (H symmetric; with a masked g, H·(m⊙g)/‖m⊙g‖),
 * projected on θ₀. Inside tidy.
 */
function constraintGradient(problem: GradInitProblem, indices: readonly number[], scales: readonly number[], batch: DeviceBatch, direction: readonly tf.Tensor[]): tf.Tensor1D {
  const theta = scaledParams(problem, indices, scales);
  const product = hessianVectorProduct((params) => lossAndGradients(problem, params, batch).grads, theta, direction);
  return projectOnInitial(problem, indices, product);
}

/** [J, ∂J/∂α…] with J = L(S̃; θ − η·v)/η and v held fixed (first order). Inside tidy. */
function objectiveAndGradient(
  problem: GradInitProblem,
  indices: readonly number[],
  scales: readonly number[],
  batch: DeviceBatch,
  direction: readonly tf.Tensor[],
  eta: number,
): tf.Tensor1D {
  const theta = scaledParams(problem, indices, scales);
  const moved = theta.map((t, i) => tf.sub(t, tf.mul(direction[i]!, eta)));
  const { loss, grads } = lossAndGradients(problem, moved, batch);
  return tf.concat([tf.reshape(tf.div(loss, eta), [1]), tf.div(projectOnInitial(problem, indices, grads), eta)]) as tf.Tensor1D;
}

async function download(tensor: tf.Tensor): Promise<Float32Array> {
  try {
    return (await tensor.data()) as Float32Array;
  } finally {
    tensor.dispose();
  }
}

/** Which tensors get a scale: rescalable, and with a non-zero norm (BN β starts at 0 and is left alone). */
async function rescaledIndices(problem: GradInitProblem): Promise<number[]> {
  const norms = await download(tf.tidy(() => tf.stack(problem.initial.map((t) => tf.norm(t)))));
  return problem.initial.flatMap((_, i) => (problem.rescalable[i] && norms[i]! > 0 ? [i] : []));
}

function fullScales(problem: GradInitProblem, indices: readonly number[], scales: readonly number[]): number[] {
  const all = problem.initial.map(() => 1);
  indices.forEach((index, k) => (all[index] = scales[k]!));
  return all;
}

/**
 * Runs GradInit and returns the learned scales (the caller applies them).
 * `nextBatch` hands out training batches in order, augmented; each iteration
 * takes two (S = B_a ∪ B_b) and an objective step a third (S̃ = B_a ∪ B_c).
 * Returns null when `shouldStop` asked it to give up.
 */
export async function gradInit(
  problem: GradInitProblem,
  nextBatch: () => HostBatch,
  settings: GradInitSettings,
  hooks: GradInitHooks = {},
): Promise<GradInitResult | null> {
  const indices = await rescaledIndices(problem);
  const roles = problem.network.params.map((p) => p.role);
  const adam = new RescaleAdam({ lr: settings.lr, gradClip: settings.gradClip, minScales: indices.map((i) => scaleFloor(roles[i]!, settings.minScale)) });
  let constraintSteps = 0;
  let objectiveSteps = 0;

  for (let iteration = 1; iteration <= settings.iterations; iteration++) {
    if (hooks.shouldStop?.()) return null;
    const first = nextBatch();
    const batch = toDevice(problem, [first, nextBatch()]);
    const scales = adam.scales;
    const start = tf.tidy(() => {
      const { loss, grads } = lossAndGradients(problem, scaledParams(problem, indices, scales), batch);
      const { norm, direction } = unitDirection(problem, grads, settings.gradient);
      return { summary: tf.stack([loss, norm]), direction };
    });
    let report: GradInitIteration;
    try {
      const [loss, gradNorm] = await start.summary.data();
      const common = { iteration, iterations: settings.iterations, loss: loss!, gradNorm: gradNorm! };
      let gradient: Float32Array;
      let kind: RescaleStepKind;
      if (gradNorm! > settings.gamma) {
        kind = 'constraint';
        gradient = await download(tf.tidy(() => constraintGradient(problem, indices, scales, batch, start.direction)));
        report = { ...common, step: kind, objective: null };
        constraintSteps++;
      } else {
        kind = 'objective';
        const lookAhead = toDevice(problem, [first, nextBatch()]);
        const values = await download(tf.tidy(() => objectiveAndGradient(problem, indices, scales, lookAhead, start.direction, settings.eta)));
        tf.dispose([lookAhead.x, lookAhead.targets]);
        gradient = values.subarray(1);
        report = { ...common, step: kind, objective: values[0]! };
        objectiveSteps++;
      }
      // A non-finite gradient (a diverging network) would poison every later scale; that step is skipped.
      if (gradient.every(Number.isFinite)) adam.step(gradient, kind);
    } finally {
      tf.dispose([start.summary, ...start.direction, batch.x, batch.targets]);
    }
    await hooks.onIteration?.(report);
  }

  return {
    scales: fullScales(problem, indices, adam.scales),
    rescaled: problem.initial.map((_, i) => indices.includes(i)),
    constraintSteps,
    objectiveSteps,
  };
}

/** GradInit's two measures at given scales, for tests and diagnostics: ‖g‖ on S, and J on (S, S̃). */
export async function gradInitMeasures(
  problem: GradInitProblem,
  scales: readonly number[],
  s: readonly HostBatch[],
  sTilde: readonly HostBatch[],
  settings: Pick<GradInitSettings, 'eta' | 'gradient'>,
): Promise<{ gradNorm: number; objective: number }> {
  const batch = toDevice(problem, s);
  const lookAhead = toDevice(problem, sTilde);
  const all = problem.initial.map((_, i) => i);
  const values = await download(
    tf.tidy(() => {
      const theta = scaledParams(problem, all, scales);
      const { norm, direction } = unitDirection(problem, lossAndGradients(problem, theta, batch).grads, settings.gradient);
      const moved = theta.map((t, i) => tf.sub(t, tf.mul(direction[i]!, settings.eta)));
      const lookAheadLoss = softTargetCrossEntropy(problem.network.forward(lookAhead.x, problem.context(moved)), lookAhead.targets);
      return tf.stack([norm, tf.div(lookAheadLoss, settings.eta)]);
    }),
  );
  tf.dispose([batch.x, batch.targets, lookAhead.x, lookAhead.targets]);
  return { gradNorm: values[0]!, objective: values[1]! };
}

/** ∂‖g‖/∂α per parameter at given scales (the constraint step's gradient, by the finite-difference H·v), for tests. */
export async function gradientNormSlopes(
  problem: GradInitProblem,
  scales: readonly number[],
  s: readonly HostBatch[],
  gradient: LrsiGradient,
): Promise<number[]> {
  const batch = toDevice(problem, s);
  const all = problem.initial.map((_, i) => i);
  const values = await download(
    tf.tidy(() => {
      const { direction } = unitDirection(problem, lossAndGradients(problem, scaledParams(problem, all, scales), batch).grads, gradient);
      return constraintGradient(problem, all, scales, batch, direction);
    }),
  );
  tf.dispose([batch.x, batch.targets]);
  return Array.from(values);
}
