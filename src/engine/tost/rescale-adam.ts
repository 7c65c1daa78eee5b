/** Which GradInit step produced a gradient: the norm constraint ‖g‖ ≤ γ, or the look-ahead objective. */
export type RescaleStepKind = 'constraint' | 'objective';

export interface RescaleAdamOptions {
  readonly lr: number;
  /** Lower bound per scale (min_scale for weights and BN γ, 0 for biases and BN β). */
  readonly minScales: readonly number[];
  /** Each scalar gradient is clipped to [−gradClip, gradClip]; 0 turns clipping off. */
  readonly gradClip: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
}

/**
 * GradInit's optimiser (spec §1.4): Adam on one scale α per tensor, floored.
 * The two kinds of step keep separate first moments and step counts, since
 * their gradients point at different goals; the second moment is shared, with
 * its bias correction counting every step. A scale that reaches 0 stays there:
 * the reference skips a tensor whose norm is 0, and then never revisits it.
 * Scales live on the host: a few dozen numbers, updated with no device work.
 */
export class RescaleAdam {
  private readonly alpha: Float64Array;
  private readonly firstConstraint: Float64Array;
  private readonly firstObjective: Float64Array;
  private readonly second: Float64Array;
  private readonly stepsConstraint: Int32Array;
  private readonly stepsObjective: Int32Array;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(private readonly options: RescaleAdamOptions) {
    const count = options.minScales.length;
    this.alpha = new Float64Array(count).fill(1);
    this.firstConstraint = new Float64Array(count);
    this.firstObjective = new Float64Array(count);
    this.second = new Float64Array(count);
    this.stepsConstraint = new Int32Array(count);
    this.stepsObjective = new Int32Array(count);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
  }

  get scales(): readonly number[] {
    return Array.from(this.alpha);
  }

  /** One update from ∂J/∂α per tensor (in the order of `minScales`). */
  step(gradients: ArrayLike<number>, kind: RescaleStepKind): void {
    const { lr, gradClip, minScales } = this.options;
    if (gradients.length !== this.alpha.length) throw new Error(`RescaleAdam: ${gradients.length} gradients for ${this.alpha.length} scales`);
    for (let i = 0; i < this.alpha.length; i++) {
      if (this.alpha[i] === 0) continue;
      let g = gradients[i]!;
      if (gradClip > 0) g = Math.min(Math.max(g, -gradClip), gradClip);
      let first: number;
      let steps: number;
      if (kind === 'constraint') {
        first = this.firstConstraint[i] = this.beta1 * this.firstConstraint[i]! + (1 - this.beta1) * g;
        steps = ++this.stepsConstraint[i]!;
      } else {
        first = this.firstObjective[i] = this.beta1 * this.firstObjective[i]! + (1 - this.beta1) * g;
        steps = ++this.stepsObjective[i]!;
      }
      const second = (this.second[i] = this.beta2 * this.second[i]! + (1 - this.beta2) * g * g);
      const correction1 = 1 - this.beta1 ** steps;
      const correction2 = 1 - this.beta2 ** (this.stepsConstraint[i]! + this.stepsObjective[i]!);
      const update = ((lr / correction1) * first) / (Math.sqrt(second / correction2) + this.eps);
      this.alpha[i] = Math.max(this.alpha[i]! - update, minScales[i]!);
    }
  }
}
