/**
 * The terminal view of a run, sized for a screen whatever the collection's size: the answer first
 * (one line: how many endpoints, how many not ok, why), what the run was, then what failed — the
 * failing rows, at most MAX_TERMINAL_ROWS, "… and N more in reports/run.md" past that — with one
 * next step per verdict, then where the reports are. A small run (up to MAX_TERMINAL_ROWS endpoints)
 * shows every row. The files keep every row. Plain text, no colour: it reads the same in a
 * terminal, a CI log and a test.
 */
import type { EndpointResult, RunReport } from '../../model.js';
import { formatCount } from '../format.js';
import type { PrintContext } from '../registry.js';
import { describeRunAnswer, isFailing, pickFullReport } from './answer.js';
import { formatFailedTests, formatRunContext, formatSide, groupNotOk } from './cells.js';

/** The most endpoint rows the terminal shows; past it, the files have them. */
export const MAX_TERMINAL_ROWS = 20;
/** The most endpoint messages the verdict groups show, shared between the groups. */
const MAX_GROUP_MESSAGES = 3;
const MAX_CELL = 48;

function clip(text: string, max = MAX_CELL): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
function formatColumns(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

const formatRow = (e: EndpointResult): string[] => [clip(e.name), formatSide(e.gateway), formatSide(e.backend), clip(formatFailedTests(e)), e.verdict.code];

/** Renders the run for the terminal. Pure; ends with a newline. */
export function renderRunSummary(report: RunReport, context: PrintContext = { files: [] }): string {
  const lines = [describeRunAnswer(report), `  ${formatRunContext(report)}`];
  const failing = report.endpoints.filter(isFailing);
  const everyRow = report.endpoints.length <= MAX_TERMINAL_ROWS;
  const rows = everyRow ? report.endpoints : failing.slice(0, MAX_TERMINAL_ROWS);
  if (rows.length > 0) {
    lines.push('');
    if (!everyRow) lines.push(`Not ok: ${formatCount(failing.length)} of ${formatCount(report.endpoints.length)} endpoints`);
    lines.push(...formatColumns([['Endpoint', 'Gateway', 'Backend', 'Failed tests', 'Verdict'], ...rows.map(formatRow)]));
    const more = everyRow ? 0 : failing.length - rows.length;
    if (more > 0) {
      const full = pickFullReport(context.files);
      lines.push(`… and ${formatCount(more)} more ${full ? `in ${full}` : '(write every row with -r markdown or -r html)'}`);
    }
  }
  const groups = groupNotOk(report);
  const perGroup = Math.max(1, Math.floor(MAX_GROUP_MESSAGES / Math.max(1, groups.length)));
  for (const group of groups) {
    const n = group.endpoints.length;
    lines.push('', `${group.code} (${formatCount(n)} endpoint${n === 1 ? '' : 's'})`);
    for (const e of group.endpoints.slice(0, perGroup)) lines.push(`  ${clip(e.name, 80)}: ${e.verdict.message}`);
    if (n > perGroup) lines.push(`  … and ${formatCount(n - perGroup)} more like ${n - perGroup === 1 ? 'it' : 'them'}`);
    if (group.next) lines.push(`  next: ${group.next}`);
  }
  if (context.files.length > 0) lines.push('', `reports: ${context.files.join(', ')}`);
  return lines.join('\n') + '\n';
}
