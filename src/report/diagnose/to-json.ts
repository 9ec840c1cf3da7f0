import type { CauseCode, DiagnoseReport, LogCause, ProbeResult } from '../../model.js';

/** The `--format json` document. `log` is null when no log was read, so the shape never changes. */
export interface DiagnoseJson {
  schemaVersion: 1;
  findings: Array<{ code: CauseCode; confidence: string; evidence: string[]; next: string }>;
  probes: ProbeResult[];
  log: null | {
    file: string;
    lines: number;
    skipped: number;
    ignored: number;
    /** Cause code → line count. */
    causes: Partial<Record<CauseCode, number>>;
    /** Cause code → first/last time, upstreams, phases and a sample line. */
    details: Partial<Record<CauseCode, LogCause>>;
    unknown: { count: number; samples: string[] };
  };
}

/** Projects a DiagnoseReport onto the documented JSON shape (findings reduced to their four keys). Pure. */
export function toDiagnoseJson(report: DiagnoseReport): DiagnoseJson {
  const log = report.log;
  return {
    schemaVersion: 1,
    findings: report.findings.map((f) => ({ code: f.code, confidence: f.confidence, evidence: f.evidence, next: f.next })),
    probes: report.probes,
    log: log
      ? {
          file: log.file,
          lines: log.lines,
          skipped: log.skipped,
          ignored: log.ignored ?? 0,
          causes: Object.fromEntries(Object.entries(log.causes).map(([code, cause]) => [code, cause!.count])),
          details: log.causes,
          unknown: log.unknown,
        }
      : null,
  };
}
