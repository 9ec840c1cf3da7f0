import type { CauseCode, DiagnoseReport, Finding, GatewayIdentity, LogAnswers, LogCause, LogFormat, LogSummary, ProbeResult, SkippedRequest } from '../../model.js';

/** One log's part of the JSON document. */
export interface DiagnoseLogJson {
  file: string;
  /** The format its lines were read as (`mixed` when several files of different formats were merged). */
  format: LogFormat | 'mixed' | 'empty';
  /** detected (from the first lines), given (--log-format) or assumed (nothing recognisable: nginx). */
  formatSource: LogSummary['formatSource'];
  lines: number;
  /** Access logs: requests the gateway served without a gateway error. */
  ok: number;
  skipped: number;
  ignored: number;
  /** Cause code → line count. */
  causes: Partial<Record<CauseCode, number>>;
  /** Cause code → first/last time, per-minute histogram, upstreams, phases and a sample line. */
  details: Partial<Record<CauseCode, LogCause>>;
  unknown: { count: number; samples: string[] };
  /** The gateway only this format belongs to, when one does. */
  gatewayKind?: LogSummary['gatewayKind'];
  /** Access logs: every request's final answer, by status and method, and the requests answered after a retried attempt. */
  answers?: LogAnswers;
  /** Upstream failures no rule names: error lines of other words. */
  unnamed?: { count: number; samples: string[] };
  /** Failed answers no line explains, status → requests (read with the gateway's status table). */
  unexplained?: Record<string, number>;
}

/** The `--format json` document. `log` is null when no log was read, so the shape never changes. */
export interface DiagnoseJson {
  schemaVersion: 1;
  /** When, and the environment and collection diagnosed; null from a bare diagnose() call. */
  meta: NonNullable<DiagnoseReport['meta']> | null;
  findings: Array<Pick<Finding, 'code' | 'confidence' | 'evidence' | 'next' | 'measured'>>;
  probes: ProbeResult[];
  /** Every log merged (one log: that log). */
  log: null | DiagnoseLogJson;
  /** One entry per log given, in order. */
  logs: DiagnoseLogJson[];
  /** The collection's requests that were not probed, and why; empty without --collection. */
  skipped: SkippedRequest[];
  /** Ctrl-C / SIGTERM stopped it: the report covers what finished; `unfinished` names the rest. null when it ran to its end. */
  interrupted: null | { message: string; unfinished: string[] };
  /** Why the probes could not answer (no HTTP request probed); null when they could. */
  inconclusive: null | string;
  /** Which gateway the findings speak of and how diagnose knows (or that it does not). */
  gateway?: GatewayIdentity;
  /** What diagnose could not judge, said as such (never findings). */
  notes: string[];
}

/** Projects a DiagnoseReport onto the documented JSON shape (findings reduced to their documented keys). Pure. */
export function toDiagnoseJson(report: DiagnoseReport): DiagnoseJson {
  return {
    schemaVersion: 1,
    meta: report.meta ?? null,
    findings: report.findings.map((f) => ({ code: f.code, confidence: f.confidence, evidence: f.evidence, next: f.next, ...(f.measured ? { measured: f.measured } : {}) })),
    probes: report.probes,
    log: report.log ? logJson(report.log) : null,
    logs: (report.logs ?? (report.log ? [report.log] : [])).map(logJson),
    skipped: report.skipped ?? [],
    interrupted: report.interrupted ?? null,
    inconclusive: report.inconclusive ?? null,
    ...(report.gateway ? { gateway: report.gateway } : {}),
    notes: report.notes ?? [],
  };
}

function logJson(log: LogSummary): DiagnoseLogJson {
  return {
    file: log.file,
    format: log.format,
    formatSource: log.formatSource,
    lines: log.lines,
    ok: log.ok,
    skipped: log.skipped,
    ignored: log.ignored ?? 0,
    causes: Object.fromEntries(Object.entries(log.causes).map(([code, cause]) => [code, cause!.count])),
    details: log.causes,
    unknown: log.unknown,
    ...(log.gatewayKind ? { gatewayKind: log.gatewayKind } : {}),
    ...(log.answers ? { answers: log.answers } : {}),
    ...(log.unnamed ? { unnamed: log.unnamed } : {}),
    ...(log.unexplained ? { unexplained: log.unexplained } : {}),
  };
}
