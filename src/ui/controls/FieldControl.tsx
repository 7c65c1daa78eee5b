import { useEffect, useState, type KeyboardEvent } from 'react';
import type { Field } from '../../engine/experiment/fields';
import { FIELDS, type FieldKey } from '../../engine/experiment/schema';
import { crossFieldIssues } from '../../engine/experiment/validation';
import { useLab } from '../store';
import { LOG_SLIDER_STEPS, sliderToValue, valueToSlider } from './log-slider';

/** Text inputs keep what the user types until Enter or leaving the field, then validate it against the schema. */
function useDraft(committed: string, commit: (text: string) => void) {
  const [draft, setDraft] = useState(committed);
  useEffect(() => setDraft(committed), [committed]);
  return {
    value: draft,
    onChange: (event: { target: { value: string } }) => setDraft(event.target.value),
    onBlur: () => commit(draft),
    onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => {
      if (event.key === 'Enter') commit(draft);
      if (event.key === 'Escape') setDraft(committed);
    },
  };
}

function parseNumberText(text: string): unknown {
  const trimmed = text.trim();
  return trimmed === '' || Number.isNaN(Number(trimmed)) ? text : Number(trimmed);
}

function parseListText(text: string): unknown {
  const items = text.split(/[-,\s]+/).filter((item) => item.length > 0);
  return items.map((item) => (Number.isNaN(Number(item)) ? item : Number(item)));
}

export function FieldControl({ fieldKey }: { fieldKey: FieldKey }) {
  const field = FIELDS[fieldKey] as Field;
  const value = useLab((state) => state.experiment[fieldKey]);
  const editError = useLab((state) => state.fieldErrors[fieldKey]);
  const comboError = useLab((state) => crossFieldIssues(state.experiment).find((issue) => issue.field === fieldKey)?.message);
  const error = editError ?? comboError;
  const setField = useLab((state) => state.setField);
  const id = `field-${fieldKey}`;
  const errorId = `${id}-error`;
  const commit = (parsed: unknown) => setField(fieldKey, parsed);

  const numberDraft = useDraft(String(value), (text) => commit(parseNumberText(text)));
  const listDraft = useDraft(Array.isArray(value) ? value.join('-') : '', (text) => commit(parseListText(text)));
  const describedBy = error ? errorId : undefined;

  let input;
  switch (field.kind) {
    case 'bool':
      return (
        <div className="field field-bool" title={field.help}>
          <input id={id} type="checkbox" checked={value as boolean} onChange={(event) => commit(event.target.checked)} />
          <label htmlFor={id}>{field.label}</label>
        </div>
      );
    case 'enum':
      input = (
        <select id={id} value={value as string} onChange={(event) => commit(event.target.value)} aria-describedby={describedBy}>
          {field.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'number':
      input = (
        <>
          {field.logComplementSlider && (
            <input
              type="range"
              className="log-slider"
              min={0}
              max={LOG_SLIDER_STEPS}
              step={1}
              value={valueToSlider(value as number, field.logComplementSlider)}
              onChange={(event) => commit(sliderToValue(Number(event.target.value), field.logComplementSlider!))}
              aria-label={`${field.label} (log scale)`}
              aria-valuetext={`${(((value as number) ?? 0) * 100).toPrecision(3)}%`}
            />
          )}
        <input
          id={id}
          type="number"
          inputMode="decimal"
          min={field.min}
          max={field.max}
          step={field.integer ? 1 : 'any'}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...numberDraft}
        />
        </>
      );
      break;
    case 'intList':
      input = <input id={id} type="text" aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...listDraft} />;
      break;
  }
  return (
    <div className="field" title={field.help}>
      <label htmlFor={id}>{field.label}</label>
      {input}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {field.label} {error}
        </p>
      )}
    </div>
  );
}
