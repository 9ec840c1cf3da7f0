import type { TargetResult } from '../../../model.js';
import { formatCount } from '../../format.js';
import { findMarkedSteps, formatStepRow, type StepRow } from './summarize.js';

/**
 * The human-readable reports (HTML, Markdown) show every step of a target up to this many. A real
 * ramp has a few dozen (doubling to the top, a bisection, repeats); a report with thousands — an
 * import, a hand-made file — would make a page no browser opens and a Markdown file past GitHub's
 * 1 MiB step-summary limit, so past it the table keeps the steps that carry the answer: the first
 * and last TABLE_EDGE_STEPS, and the breaking point and last passing level with their neighbours.
 * ramp.json and ramp.junit.xml keep every step.
 */
export const MAX_TABLE_STEPS = 200;
export const TABLE_EDGE_STEPS = 50;
/** Steps kept on each side of the breaking point and of the last passing level. */
const MARK_NEIGHBOURS = 2;

/** Where steps were left out of a table: one row saying how many, and which. */
export interface StepGap {
  gap: string;
}

export type StepTableRow = StepRow | StepGap;

/** The rows of a target's step table and, when steps were left out, a sentence saying so. */
export interface StepTable {
  rows: StepTableRow[];
  /** e.g. "104 of 100,000 steps shown: …"; null when every step is shown. */
  note: string | null;
}

/**
 * The indexes of the steps a table (and the chart's markers) show, ascending: every step up to
 * MAX_TABLE_STEPS, else the first and last TABLE_EDGE_STEPS and the marked steps with their neighbours.
 */
export function selectShownSteps(result: TargetResult): number[] {
  const count = result.steps.length;
  if (count <= MAX_TABLE_STEPS) return result.steps.map((_, index) => index);
  const { breakingIndex, passingIndex } = findMarkedSteps(result);
  const shown = new Set<number>();
  const keep = (from: number, to: number) => {
    for (let i = Math.max(0, from); i <= Math.min(count - 1, to); i++) shown.add(i);
  };
  keep(0, TABLE_EDGE_STEPS - 1);
  keep(count - TABLE_EDGE_STEPS, count - 1);
  for (const marked of [breakingIndex, passingIndex]) if (marked >= 0) keep(marked - MARK_NEIGHBOURS, marked + MARK_NEIGHBOURS);
  return [...shown].sort((a, b) => a - b);
}

/** The step table of a target: the shown steps formatted, a gap row wherever steps were left out. `measured`: see formatStepRow. */
export function formatStepTable(result: TargetResult, measured = true): StepTable {
  const { breakingIndex, passingIndex } = findMarkedSteps(result);
  const shown = selectShownSteps(result);
  const rows: StepTableRow[] = [];
  let next = 0;
  for (const index of shown) {
    if (index > next) rows.push(describeGap(next, index - 1));
    const step = result.steps[index];
    rows.push(formatStepRow(step, index === breakingIndex ? 'breaking-point' : index === passingIndex ? 'last-passing' : null, measured));
    next = index + 1;
  }
  if (next < result.steps.length) rows.push(describeGap(next, result.steps.length - 1));
  const total = result.steps.length;
  const note = shown.length === total
    ? null
    : `${formatCount(shown.length)} of ${formatCount(total)} steps shown: the first and last ${TABLE_EDGE_STEPS}, and the breaking point and last passing level with their neighbours. ramp.json and ramp.junit.xml have every step.`;
  return { rows, note };
}

/** `from` and `to` are 0-based step indexes; the text counts steps from 1, as the JUnit suites do. */
function describeGap(from: number, to: number): StepGap {
  const count = to - from + 1;
  return { gap: `… ${formatCount(count)} step${count === 1 ? '' : 's'} not shown (steps ${formatCount(from + 1)}–${formatCount(to + 1)})` };
}
