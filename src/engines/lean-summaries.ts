/**
 * newman's run summary without its per-request records, for the runs this tool starts.
 *
 * Why: newman's RunSummary (lib/run/summary.js, attachReportingTrackers) keeps a record of every
 * request of a run — cursor, item, request, response, assertions — in `run.executions` and again in
 * a cache private to the summary, for reporters to read at the end. Our runs have no reporter that
 * reads them (the engine reports each request as it ends), and a ramp's virtual user sends
 * thousands of requests in one run: the records, even emptied, held ~1.5 KB of heap a request
 * (measured: heap after GC grew 57 → 60 MB from request 300 to 2,300 of one run) until the run
 * ended, and the heap V8 lets grow before it collects is a multiple of what is live.
 *
 * How: the trackers are skipped for an emitter marked with keepNoRecords; any other newman run in
 * the process (a library user's own newman.run) keeps its records, as newman writes them.
 */
import { requireFromNewman } from './newman-require.js';

type AttachTrackers = (summary: unknown, emitter: object) => void;

/** newman's RunSummary constructor, as far as this file uses it. */
export interface RunSummaryModule {
  attachReportingTrackers?: AttachTrackers;
}

const LEAN = Symbol.for('debug502.leanSummaries');
const withoutRecords = new WeakSet<object>();

/** Marks a newman run's emitter, returned by newman.run, before its summary is built (newman builds it after loading the run's options, asynchronously). */
export function keepNoRecords(emitter: object): void {
  withoutRecords.add(emitter);
}

/** leanSummaries on the RunSummary that newman itself uses (the same module instance). */
export function leanNewmanSummaries(): void {
  leanSummaries(newmanRunSummary());
}

/** Makes RunSummary skip its reporting trackers for emitters marked with keepNoRecords. Idempotent. */
export function leanSummaries(RunSummary: RunSummaryModule): void {
  const marked = RunSummary as RunSummaryModule & { [LEAN]?: true };
  const attach = RunSummary.attachReportingTrackers;
  // Another newman than the one this was written against: its runs keep their records.
  if (marked[LEAN] || typeof attach !== 'function') return;
  RunSummary.attachReportingTrackers = function (this: unknown, summary, emitter) {
    if (withoutRecords.has(emitter)) return;
    return attach.call(this, summary, emitter);
  };
  marked[LEAN] = true;
}

/** Whether newman's own RunSummary has been made lean (for tests). */
export function newmanSummariesAreLean(): boolean {
  return (newmanRunSummary() as { [LEAN]?: true })[LEAN] === true;
}

function newmanRunSummary(): RunSummaryModule {
  return requireFromNewman()('./lib/run/summary') as RunSummaryModule;
}
