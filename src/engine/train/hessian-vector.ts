import * as tf from '@tensorflow/tfjs';

/**
 * Hessian-vector products for GraSP scores and LRsI's constraint step. tfjs
 * has no second-order gradient we can use (no gradient of
 * Conv2DBackpropFilter, and a gradient taken inside tf.grads is not recorded
 * for an outer one), so H·v is a central difference of gradients: two more
 * gradient evaluations, through any kernel and backend.
 */

/** Size of the difference step relative to the weights: ε·‖v‖ = HVP_RELATIVE_STEP·max(‖θ‖, 1). */
export const HVP_RELATIVE_STEP = 1e-3;

export function globalNorm(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.sqrt(tf.addN(tensors.map((t) => tf.sum(tf.square(t))))) as tf.Scalar;
}

/** ε for a difference along v at θ, on the device (no read-back); finite for v = 0 (the product is then 0). */
export function finiteDifferenceStep(theta: readonly tf.Tensor[], v: readonly tf.Tensor[], relative = HVP_RELATIVE_STEP): tf.Scalar {
  return tf.div(tf.mul(tf.maximum(globalNorm(theta), 1), relative), tf.maximum(globalNorm(v), 1e-30)) as tf.Scalar;
}

/**
 * H·v ≈ [∇L(θ + εv) − ∇L(θ − εv)] / 2ε for the loss whose gradient is
 * `gradient`. Call inside the caller's tf.tidy.
 */
export function hessianVectorProduct(
  gradient: (at: readonly tf.Tensor[]) => tf.Tensor[],
  theta: readonly tf.Tensor[],
  v: readonly tf.Tensor[],
  epsilon: number | tf.Scalar = finiteDifferenceStep(theta, v),
): tf.Tensor[] {
  const plus = gradient(theta.map((t, k) => tf.add(t, tf.mul(v[k]!, epsilon))));
  const minus = gradient(theta.map((t, k) => tf.sub(t, tf.mul(v[k]!, epsilon))));
  const twoEpsilon = tf.mul(epsilon, 2);
  return plus.map((p, k) => tf.div(tf.sub(p, minus[k]!), twoEpsilon));
}
