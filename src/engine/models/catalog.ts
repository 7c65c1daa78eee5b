/** Architectures a user can pick (ids and labels only; see registry.ts for builders). */
export const ARCHITECTURES = [{ id: 'mlp', label: 'MLP (fully connected)' }] as const;

export type ArchitectureId = (typeof ARCHITECTURES)[number]['id'];
