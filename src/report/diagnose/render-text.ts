import type { DiagnoseReport, ProbeResult } from '../../model.js';
import { describeCausePattern, describeGatewayIdentity, describeSpan, headline, logHeader, logTitle, probeStatus, sortedCauses, unfinishedLines } from './summary-lines.js';

/**
 * The terminal view: ranked findings with evidence and next step, then a table of probes, then the
 * log summary. Plain text, no colour; pure.
 */
export function renderDiagnoseText(report: DiagnoseReport): string {
  const out: string[] = [headline(report)];
  const gateway = describeGatewayIdentity(report);
  if (gateway) out.push(gateway);
  for (const note of report.notes ?? []) out.push(`note: ${note}`);
  out.push('');
  report.findings.forEach((f, i) => {
    out.push(`${i + 1}. ${f.code}  [${f.confidence}]`);
    for (const line of f.evidence) out.push(`     - ${line}`);
    out.push(`   next: ${f.next}`, '');
  });
  const unfinished = unfinishedLines(report);
  if (unfinished.length > 0) out.push('Not finished (interrupted)', ...unfinished.map((line) => `  - ${line}`), '');
  if (report.probes.length > 0) out.push('Probes', ...renderProbeTable(report.probes), '');
  else out.push('Probes: none (no --environment: the logs alone were read)', '');
  if (report.skipped && report.skipped.length > 0) {
    out.push(`Not probed (${report.skipped.length} request${report.skipped.length === 1 ? '' : 's'} of the collection)`);
    for (const s of report.skipped) out.push(`  ${s.request}  ${s.name}: ${s.reason}`);
    out.push('');
  }
  if (report.log) {
    out.push(logTitle(report.log));
    for (const log of report.logs ?? [report.log]) out.push(`  ${logHeader(log)}`);
    for (const [code, cause] of sortedCauses(report.log)) {
      const pattern = describeCausePattern(cause, report.log);
      out.push(`  ${code.padEnd(26)} ${String(cause.count).padStart(8)}  ${describeSpan(cause, report.log)}${pattern ? `  (${pattern})` : ''}${cause.upstreams.length ? `  upstream ${cause.upstreams.join(', ')}` : ''}`);
      out.push(`      e.g. ${cause.sample}`);
    }
    if (report.log.unknown.count > 0) {
      out.push(`  ${'unknown'.padEnd(26)} ${String(report.log.unknown.count).padStart(8)}`);
      for (const s of report.log.unknown.samples) out.push(`      e.g. ${s}`);
    }
  } else {
    out.push('gateway log: not given (pass --log FILE: the gateway\'s error or access log — nginx, HAProxy, Caddy, Apache, Varnish, Traefik, Envoy, ALB — plain or gzipped)');
  }
  return out.join('\n') + '\n';
}

/** The most probe rows the terminal shows: a collection of 2,000 requests makes 4,000 probes; the files have them all. */
export const MAX_PROBE_ROWS = 20;

/**
 * The probes as a table, at most MAX_PROBE_ROWS rows: past that the connection probes (DNS, TCP,
 * TLS, health, keep-alive, timeout) and the failing requests come first, then a line saying how
 * many more there are.
 */
function renderProbeTable(all: ProbeResult[]): string[] {
  const probes = pickShownProbes(all);
  const rows = probes.map((p) => [p.kind, p.route ?? '', probeStatus(p), `${p.timeMs} ms`, p.evidence]);
  const head = ['KIND', 'ROUTE', 'RESULT', 'TIME', 'EVIDENCE'];
  const widths = head.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join('  ');
  const more = all.length - probes.length;
  const shown = new Set(probes);
  const passed = all.filter((p) => !shown.has(p) && p.ok).length;
  return [line(head), ...rows.map(line), ...(more > 0 ? [`  … and ${more} more probes (${passed} passed): -r json or -r html writes every one`] : [])];
}

/** Every probe up to MAX_PROBE_ROWS; past it the telling ones (connection probes, failures), the earliest others after them, in order. */
function pickShownProbes(all: ProbeResult[]): ProbeResult[] {
  if (all.length <= MAX_PROBE_ROWS) return all;
  const shown = new Set(all.filter((p) => p.kind !== 'direct-vs-gateway' || !p.ok).slice(0, MAX_PROBE_ROWS));
  for (const probe of all) {
    if (shown.size >= MAX_PROBE_ROWS) break;
    shown.add(probe);
  }
  return all.filter((p) => shown.has(p));
}
