import type { StateCreator } from 'zustand';
import { defaultExperiment, type Experiment, type FieldKey } from '../../engine/experiment/schema';
import { validateField } from '../../engine/experiment/validation';
import type { LabState } from './index';

export interface ExperimentSlice {
  experiment: Experiment;
  /** Per-field message for an edit that was rejected (the last valid value is kept). */
  fieldErrors: Partial<Record<FieldKey, string>>;
  setField: <K extends FieldKey>(key: K, value: unknown) => void;
  replaceExperiment: (experiment: Experiment) => void;
  restoreDefaults: () => void;
}

export const createExperimentSlice: StateCreator<LabState, [], [], ExperimentSlice> = (set) => ({
  experiment: defaultExperiment,
  fieldErrors: {},
  setField: (key, value) =>
    set((state) => {
      const checked = validateField(key, value);
      const fieldErrors = { ...state.fieldErrors };
      if (!checked.ok) {
        fieldErrors[key] = checked.message;
        return { fieldErrors };
      }
      delete fieldErrors[key];
      return { experiment: { ...state.experiment, [key]: checked.value }, fieldErrors };
    }),
  replaceExperiment: (experiment) => set({ experiment, fieldErrors: {} }),
  restoreDefaults: () => set({ experiment: defaultExperiment, fieldErrors: {} }),
});
