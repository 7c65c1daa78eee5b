import { create } from 'zustand';
import { createExperimentSlice, type ExperimentSlice } from './experiment-slice';
import { createLrsiSlice, type LrsiSlice } from './lrsi-slice';
import { createRunSlice, type RunSlice } from './run-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

/** The lab's state: what to run (experiment), what is running (run, and its LRsI phase), and the page around it (ui). */
export type LabState = ExperimentSlice & RunSlice & LrsiSlice & UiSlice;

export const useLab = create<LabState>()((...args) => ({
  ...createExperimentSlice(...args),
  ...createRunSlice(...args),
  ...createLrsiSlice(...args),
  ...createUiSlice(...args),
}));
