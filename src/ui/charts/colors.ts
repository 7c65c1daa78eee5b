import type { RecipeId } from '../../worker/protocol';

export const RECIPE_COLORS: Record<RecipeId, string> = { default: '#475569', tost: '#ea580c' };
export const RECIPE_LABELS: Record<RecipeId, string> = { default: 'Default', tost: 'ToST' };
