/** Smooth activations the ghost-soft-neuron technique can put in place of ReLU. */
export const SOFT_ACTIVATIONS = [
  { id: 'swish', label: 'Swish  x·σ(x)' },
  { id: 'mish', label: 'Mish  x·tanh(softplus x)' },
  { id: 'pswish', label: 'Parametric swish  x·σ(βx)' },
] as const;

export type SoftActivationId = (typeof SOFT_ACTIVATIONS)[number]['id'];
export type ActivationId = 'relu' | SoftActivationId;
