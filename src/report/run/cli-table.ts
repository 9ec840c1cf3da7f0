/**
 * The terminal view of a run: one row per endpoint (gateway status and time beside the backend's,
 * the failed tests, the verdict), then each endpoint that is not ok with what was seen and the next
 * step. Plain text, no colour: it reads the same in a terminal, a CI log and a test.
 */
import type { RunReport } from '../../model.js';
import { formatFailedTests, formatSide, formatTotals, groupNotOk } from './cells.js';

const MAX_CELL = 48;

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= MAX_CELL ? oneLine : `${oneLine.slice(0, MAX_CELL - 1)}…`;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
function formatColumns(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

/** Renders the run for the terminal. Pure; ends with a newline. */
export function renderRunTable(report: RunReport): string {
  const header = ['Endpoint', 'Gateway', 'Backend', 'Failed tests', 'Verdict'];
  const rows = report.endpoints.map((e) => [clip(e.name), formatSide(e.gateway), formatSide(e.backend), clip(formatFailedTests(e)), e.verdict.code]);
  const lines = [
    `debug502 run · gateway ${report.meta.gatewayUrl ?? '—'} · backend ${report.meta.backendUrl ?? '—'} · limit ${report.meta.maxLatencyMs ?? '—'} ms`,
    '',
    ...formatColumns([header, ...rows]),
  ];
  for (const group of groupNotOk(report)) {
    lines.push('', `${group.code} (${group.endpoints.length} endpoint${group.endpoints.length > 1 ? 's' : ''})`);
    for (const e of group.endpoints) lines.push(`  ${e.name.replace(/\s+/g, ' ')}: ${e.verdict.message}`);
    if (group.next) lines.push(`  next: ${group.next}`);
  }
  lines.push('', formatTotals(report));
  return lines.join('\n') + '\n';
}
