/** The engines a ramp step can send its requests with; both take and report the same shapes. */
import type { RampEngine } from '../model.js';
import { runFast } from './fast.js';
import { runNewman, type NewmanListener, type NewmanRunInput, type NewmanRunSummary } from './newman.js';

export type RunEngine = (input: NewmanRunInput, listener: NewmanListener) => Promise<NewmanRunSummary>;

export const ENGINES: Readonly<Record<RampEngine, RunEngine>> = { newman: runNewman, fast: runFast };
export { runFast, runNewman };
