import { levelOf } from '../../../facts/level.js';
import type { RampReport, RampTarget, TargetResult } from '../../../model.js';
import { buildRampChart, type RampChart } from '../chart/ramp-chart.js';
import { formatStepTable, type StepTableRow } from './step-table.js';
import { log2Domain } from '../chart/scales.js';
import { describePassCondition, formatDuration, formatTimestamp, hasFailuresBeyond502, shortenPath, splitStatusCounts, TARGET_LABEL, VERDICT_LABEL, VERDICT_TONE } from '../../format.js';
import {
  describeOptions,
  describeUnderdriven,
  listTargets,
  nameFailure,
  listTargetFacts,
  targetVariable,
  type TargetFact,
} from './summarize.js';

/**
 * Everything the HTML template shows, as plain text and numbers. Every field is present (null, never
 * missing) because the template runs in Handlebars strict mode.
 */
export interface HtmlReportView {
  title: string;
  /** The collection's file name when `collection` is a path, else the collection itself. */
  heading: string;
  collection: string;
  environment: string;
  startedAt: string;
  duration: string;
  version: string;
  verdict: { code: string; label: string; tone: 'bad' | 'good' | 'warn'; message: string; next: string | null };
  aborted: { reason: string; message: string } | null;
  passCondition: string;
  targets: {
    key: RampTarget;
    label: string;
    variable: string;
    /** "502" or "failure": what the first-failure ordinals count. */
    failureNoun: string;
    facts: TargetFact[];
    underdrivenNote: string | null;
    chart: RampChart;
    /** The step table: every step, or past MAX_TABLE_STEPS the telling ones with gap rows between. */
    rows: StepTableRow[];
    /** Says which steps the table and the chart's markers leave out; null when none. */
    tableNote: string | null;
    /** Optional table columns, shown only when some step has something to put there. */
    columns: { other: boolean; failures: boolean; average: boolean; statusSpan: number; middleSpan: number; tailSpan: number; totalSpan: number };
  }[];
  options: { name: string; value: string }[];
}

/** Builds the HTML view of a report; all charts share one level axis (concurrency or rate) so they compare at a glance. */
export function buildHtmlView(report: RampReport): HtmlReportView {
  const { meta, verdict } = report;
  const targets = listTargets(report);
  // A loop, not Math.min(...levels): spreading 100,000 arguments overflows the stack.
  let low = Infinity;
  let high = -Infinity;
  for (const { result } of targets) {
    for (const step of result.steps) {
      low = Math.min(low, levelOf(step));
      high = Math.max(high, levelOf(step));
    }
  }
  const xDomain = low <= high
    ? log2Domain(low, high)
    : meta.options.mode === 'rate' ? log2Domain(meta.options.startRate ?? 1, meta.options.maxRate ?? 2) : log2Domain(meta.options.start, meta.options.max);
  return {
    title: `Ramp report: ${meta.collectionName ?? shortenPath(meta.collection)}`,
    heading: meta.collectionName ?? shortenPath(meta.collection),
    collection: meta.collection,
    environment: meta.environment || '—',
    startedAt: formatTimestamp(meta.startedAt),
    duration: formatDuration(meta.durationMs),
    version: meta.version,
    verdict: {
      code: verdict.code,
      label: VERDICT_LABEL[verdict.code] ?? verdict.code,
      tone: VERDICT_TONE[verdict.code] ?? 'warn',
      message: verdict.message,
      next: verdict.next ?? null,
    },
    aborted: meta.aborted ? { reason: meta.aborted.reason, message: meta.aborted.message } : null,
    passCondition: describePassCondition(meta.options),
    targets: targets.map(({ key, result }) => ({
      key,
      label: TARGET_LABEL[key],
      variable: targetVariable(key),
      failureNoun: nameFailure(result, meta.options.failOn),
      facts: listTargetFacts(result, report),
      underdrivenNote: describeUnderdriven(result),
      chart: buildRampChart(`chart-${key}`, result, meta.options.failOn, xDomain),
      ...formatTargetTable(result),
      columns: chooseColumns(result),
    })),
    options: describeOptions(meta.options, meta.source),
  };
}

function formatTargetTable(result: TargetResult): { rows: StepTableRow[]; tableNote: string | null } {
  const { rows, note } = formatStepTable(result);
  return { rows, tableNote: note };
}

/**
 * Leaves out the "Other" status and "Failures" columns when they would only repeat zeros or the 502
 * ratio, and "Avg in flight" for reports written before it was measured.
 */
function chooseColumns(result: TargetResult): HtmlReportView['targets'][number]['columns'] {
  const other = result.steps.some((s) => splitStatusCounts(s.status).other !== '');
  const failures = hasFailuresBeyond502(result.steps);
  const statusSpan = 5 + (other ? 1 : 0);
  const middleSpan = 2 + (failures ? 1 : 0);
  const average = result.steps.some((s) => s.avgInFlight !== undefined);
  const tailSpan = 5 + (average ? 1 : 0);
  return { other, failures, average, statusSpan, middleSpan, tailSpan, totalSpan: 2 + statusSpan + middleSpan + 5 + tailSpan };
}
