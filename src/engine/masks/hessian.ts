import * as tf from '@tensorflow/tfjs';

/** Relative size of the finite-difference step: ε·‖v‖ = HVP_STEP·‖θ‖. */
export const HVP_STEP = 1e-3;

/**
 * H·v for the Hessian H of a loss whose gradient is `gradient(θ)`, by the
 * central difference [∇L(θ + εv) − ∇L(θ − εv)] / 2ε. tfjs has no
 * second-order gradient through convolutions (no gradient of the filter
 * gradient), so this one method serves every architecture; it is checked
 * against tfjs's exact double gradient on an MLP. Returns new tensors.
 */
export function hessianVectorProduct(
  gradient: (at: readonly tf.Tensor[]) => tf.Tensor[],
  theta: readonly tf.Tensor[],
  v: readonly tf.Tensor[],
  relativeStep = HVP_STEP,
): tf.Tensor[] {
  return tf.tidy(() => {
    const norm = (ts: readonly tf.Tensor[]) => Math.sqrt(ts.reduce((sum, t) => sum + (tf.sum(tf.square(t)).dataSync()[0] ?? 0), 0));
    const vNorm = norm(v);
    if (vNorm === 0) return theta.map((t) => tf.zerosLike(t));
    const epsilon = (relativeStep * Math.max(norm(theta), 1)) / vNorm;
    const plus = gradient(theta.map((t, k) => tf.add(t, tf.mul(v[k]!, epsilon))));
    const minus = gradient(theta.map((t, k) => tf.sub(t, tf.mul(v[k]!, epsilon))));
    return plus.map((p, k) => tf.div(tf.sub(p, minus[k]!), 2 * epsilon));
  });
}
