import { z } from 'zod';

/**
 * Field builders: each returns the field's validator together with what the UI,
 * the URL codec and the CLI need to know about it, so the experiment's fields
 * are described exactly once (in schema.ts).
 */

export type FieldGroup = 'data' | 'model' | 'mask' | 'training' | 'tost';

interface FieldBase<T> {
  label: string;
  help: string;
  group: FieldGroup;
  default: T;
}

export interface NumberField extends FieldBase<number> {
  kind: 'number';
  integer: boolean;
  min: number;
  max: number;
  step: number;
  /**
   * A slider beside the box, on a log scale of (1 − value) between these
   * values: even steps from 50% to 99.9% sparsity (each step keeps a constant
   * share fewer weights).
   */
  logComplementSlider?: { readonly from: number; readonly to: number };
  schema: z.ZodType<number>;
}

export interface EnumField<V extends string = string> extends FieldBase<V> {
  kind: 'enum';
  options: readonly { value: V; label: string }[];
  schema: z.ZodType<V>;
}

export interface BoolField extends FieldBase<boolean> {
  kind: 'bool';
  schema: z.ZodType<boolean>;
}

export interface IntListField extends FieldBase<readonly number[]> {
  kind: 'intList';
  min: number;
  max: number;
  minLength: number;
  maxLength: number;
  schema: z.ZodType<readonly number[]>;
}

export type Field = NumberField | EnumField | BoolField | IntListField;

type Common<T> = FieldBase<T>;

export function numberField(
  o: Common<number> & { min: number; max: number; step: number; logComplementSlider?: { from: number; to: number } },
): NumberField {
  return { kind: 'number', integer: false, ...o, schema: z.number().finite().min(o.min).max(o.max) };
}

export function intField(o: Common<number> & { min: number; max: number; step?: number }): NumberField {
  return { kind: 'number', integer: true, step: 1, ...o, schema: z.number().int().min(o.min).max(o.max) };
}

export function boolField(o: Common<boolean>): BoolField {
  return { kind: 'bool', ...o, schema: z.boolean() };
}

export function enumField<const V extends string>(
  o: Common<NoInfer<V>> & { options: readonly { value: V; label: string }[] },
): EnumField<V> {
  const values = o.options.map((option) => option.value);
  const schema = z.custom<V>((value) => typeof value === 'string' && (values as string[]).includes(value), {
    message: `must be one of ${values.join(', ')}`,
  });
  return { kind: 'enum', ...o, schema };
}

export function intListField(
  o: Common<readonly number[]> & { min: number; max: number; minLength: number; maxLength: number },
): IntListField {
  const schema = z
    .array(z.number().int().min(o.min).max(o.max))
    .min(o.minLength)
    .max(o.maxLength)
    .readonly();
  return { kind: 'intList', ...o, schema };
}
