import type { RampReport, TargetResult } from '../../model.js';
import { describePassCondition, formatDuration, formatTimestamp, hasFailuresBeyond502, TARGET_LABEL, VERDICT_LABEL, VERDICT_TONE } from '../format.js';
import { escapeMarkdown } from '../escape-markdown.js';
import type { ReportFile } from '../report-file.js';
import { describeRampAnswer } from './view/answer.js';
import { formatStepTable } from './view/step-table.js';
import { describeUnderdriven, listTargets, nameFailure, listTargetFacts, targetVariable, type StepRow } from './view/summarize.js';

export const RAMP_MARKDOWN_FILE = 'ramp.md';

const TONE_ICON = { bad: '❌', good: '✅', warn: '⚠️' } as const;

/**
 * `ramp.md`, sized for a pull-request comment or `$GITHUB_STEP_SUMMARY`: the answer first, a
 * one-row-per-target summary, then a compact step table per target. Text from the report is
 * Markdown-escaped, so a collection name cannot inject links, HTML or table cells.
 */
export function renderMarkdown(report: RampReport): ReportFile[] {
  const { meta, verdict } = report;
  const targets = listTargets(report);
  const lines: string[] = [];
  // The answer first (the number and the verdict), then why, the next step, and the caveats after.
  lines.push(`## ${TONE_ICON[VERDICT_TONE[verdict.code] ?? 'warn']} Ramp: ${escapeMarkdown(describeRampAnswer(report))}`, '');
  lines.push(`${VERDICT_LABEL[verdict.code] ?? escapeMarkdown(verdict.code)}: ${escapeMarkdown(verdict.message)}`, '');
  if (verdict.next) lines.push(`**Next:** ${escapeMarkdown(verdict.next)}`, '');
  for (const caveat of verdict.caveats ?? []) lines.push(`> ⚠️ ${escapeMarkdown(caveat)}`, '');
  if (meta.aborted) {
    lines.push(`> [!WARNING]`, `> The ramp stopped early (${escapeMarkdown(meta.aborted.reason)}): ${escapeMarkdown(meta.aborted.message)} The figures cover the steps that completed.`, '');
  }
  lines.push('| Target | Breaking point | Last passing | First failure | Steps |', '|---|---|---|---|---|');
  for (const { key, result } of targets) {
    const [breaking, passing, first, steps] = listTargetFacts(result, report);
    const cell = (fact: { value: string; detail: string }, bold = false) =>
      `${bold && fact.value !== 'none' ? `**${fact.value}**` : fact.value}${fact.detail ? ` <sub>${escapeMarkdown(fact.detail)}</sub>` : ''}`;
    lines.push(`| ${TARGET_LABEL[key]} (\`${targetVariable(key)}\`) | ${cell(breaking, true)} | ${cell(passing)} | ${first.value} | ${steps.value} |`);
  }
  lines.push('');
  for (const { key, result } of targets) {
    lines.push(`### ${TARGET_LABEL[key]}`, '');
    const underdriven = describeUnderdriven(result);
    if (underdriven) lines.push(`> **Underdriven:** ${escapeMarkdown(underdriven)}`, '');
    lines.push(...renderStepTable(result, report), '');
  }
  lines.push(
    `<sub>${escapeMarkdown(meta.collectionName ? `${meta.collectionName} (${meta.collection})` : meta.collection)} · environment ${escapeMarkdown(meta.environment || '—')} · started ${formatTimestamp(meta.startedAt)} · ` +
      `took ${formatDuration(meta.durationMs)} · a step passes with ${describePassCondition(meta.options)} · ` +
      `debug502 ${escapeMarkdown(meta.version)}</sub>`,
  );
  return [{ name: RAMP_MARKDOWN_FILE, content: lines.join('\n') + '\n' }];
}

function renderStepTable(result: TargetResult, report: RampReport): string[] {
  if (result.steps.length === 0) return ['_No step completed._'];
  // An import (Locust, k6) never measured the client's in-flight peak: "—", not a figure.
  const { rows, note } = formatStepTable(result, report.meta.source === undefined);
  const showFailures = hasFailuresBeyond502(result.steps);
  const noun = nameFailure(result, report.meta.options.failOn);
  // Reports written before avgInFlight existed have none: no column of dashes for them.
  const showAverage = result.steps.some((step) => step.avgInFlight !== undefined);
  const header = [result.steps.some((s) => s.rate !== undefined) ? 'Rate (req/s)' : 'Concurrency', 'Phase', 'Requests', '502', 'Other errors', '502 ratio', ...(showFailures ? ['Failures'] : []), 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', `First ${noun}`, 'Peak in flight', ...(showAverage ? ['Avg in flight'] : []), 'Result'];
  const align = header.map((name) => (name === 'Phase' || name === 'Other errors' || name === 'Result' ? '---' : '--:'));
  const table = [`| ${header.join(' | ')} |`, `|${align.join('|')}|`];
  for (const row of rows) {
    if (row.gap !== null) {
      table.push(`| … | ${[row.gap, ...header.slice(2).map(() => '')].join(' | ')} |`);
      continue;
    }
    // Status and error keys come from ramp.json, which `report --from` reads as it finds it: escaped like any text.
    const otherErrors = escapeMarkdown([otherStatuses(row), row.transportDetail].filter(Boolean).join(' · '));
    const cells = [
      row.marker === 'breaking-point' ? `**${row.concurrency}**` : row.concurrency,
      row.phase,
      row.requests,
      row.s502,
      otherErrors || '–',
      row.rate502,
      ...(showFailures ? [row.failureRate] : []),
      row.p50,
      row.p95,
      row.p99,
      row.rps,
      row.first502 === '–' ? '–' : `${row.first502} (run ${row.first502Run})`,
      row.peakInFlight,
      ...(showAverage ? [row.avgInFlight || '–'] : []),
      describeResult(row),
    ];
    table.push(`| ${cells.join(' | ')} |`);
  }
  if (note) table.push('', `_${note}_`);
  return table;
}

/** The 500/503/504 columns and the rest, only those seen: "503 4 · 504 1 · 404 2". */
function otherStatuses(row: StepRow): string {
  const columns = [['500', row.s500], ['503', row.s503], ['504', row.s504]].filter(([, n]) => n !== '0').map(([code, n]) => `${code} ${n}`);
  return [...columns, row.otherStatus].filter(Boolean).join(' · ');
}

function describeResult(row: StepRow): string {
  const parts = [row.failed ? '❌ fail' : row.underdriven ? '' : '✅ pass'];
  if (row.underdriven) parts.push('⚠️ underdriven');
  if (row.marker === 'breaking-point') parts.push('**breaking point**');
  if (row.marker === 'last-passing') parts.push('last passing');
  return parts.filter(Boolean).join(' · ');
}
