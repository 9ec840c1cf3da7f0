import type { CauseCode, LogAnswers, LogCause, LogSummary } from '../../model.js';
import { LOG_LIMITS } from './log-accumulator.js';

/**
 * One summary for several logs (each file read on its own, e.g. two ALB nodes or an nginx error log
 * beside an Envoy access log): counts add up, first/last span all of them, per-minute counts add,
 * upstreams and samples stay capped. One summary is returned as it is. Pure.
 */
export function mergeLogSummaries(summaries: readonly LogSummary[]): LogSummary | undefined {
  if (summaries.length <= 1) return summaries[0];
  const formats = new Set(summaries.map((s) => s.format));
  const causes: Partial<Record<CauseCode, LogCause>> = {};
  for (const summary of summaries) {
    for (const [code, cause] of Object.entries(summary.causes) as Array<[CauseCode, LogCause]>) {
      causes[code] = causes[code] ? mergeLogCause(causes[code]!, cause) : structuredClone(cause);
    }
  }
  const kinds = new Set(summaries.map((s) => s.gatewayKind).filter((k) => k !== undefined));
  const unnamed = summaries.filter((s) => s.unnamed);
  const answers = mergeAnswersOf(summaries);
  return {
    file: summaries.map((s) => s.file).join(', '),
    format: formats.size === 1 ? summaries[0].format : 'mixed',
    ...(kinds.size === 1 ? { gatewayKind: [...kinds][0] } : {}),
    formatSource: summaries.every((s) => s.formatSource === 'given') ? 'given' : summaries.some((s) => s.formatSource === 'assumed') ? 'assumed' : 'detected',
    ok: sum(summaries, (s) => s.ok),
    ...spanOf(summaries),
    lines: sum(summaries, (s) => s.lines),
    matched: sum(summaries, (s) => s.matched ?? s.lines),
    skipped: sum(summaries, (s) => s.skipped),
    ignored: sum(summaries, (s) => s.ignored ?? 0),
    causes,
    unknown: {
      count: sum(summaries, (s) => s.unknown.count),
      samples: summaries.flatMap((s) => s.unknown.samples).slice(0, LOG_LIMITS.unknownSamples),
    },
    ...(unnamed.length > 0 ? { unnamed: { count: sum(unnamed, (s) => s.unnamed!.count), samples: unnamed.flatMap((s) => s.unnamed!.samples).slice(0, LOG_LIMITS.unknownSamples) } } : {}),
    ...(answers ? { answers } : {}),
  };
}

/**
 * The answers of several access logs: logs of one format add up (two ALB nodes, rotated files: each
 * line a request of its own); logs of different formats are taken as views of the same requests
 * (varnishncsa and varnishlog of one varnishd, nginx's access log and a load balancer's in front),
 * so each count is the larger of the two, never their sum. Pure.
 */
export function mergeAnswersOf(summaries: readonly LogSummary[]): LogAnswers | undefined {
  const byFormat = new Map<string, LogAnswers>();
  for (const s of summaries) {
    if (!s.answers) continue;
    const seen = byFormat.get(s.format);
    byFormat.set(s.format, seen ? combineAnswers(seen, s.answers, (x, y) => x + y) : structuredClone(s.answers));
  }
  const views = [...byFormat.values()];
  return views.length === 0 ? undefined : views.reduce((a, b) => combineAnswers(a, b, Math.max));
}

function combineAnswers(a: LogAnswers, b: LogAnswers, join: (x: number, y: number) => number): LogAnswers {
  const out = structuredClone(a);
  out.count = join(a.count, b.count);
  out.retried = join(a.retried, b.retried);
  joinInto(out.statuses, b.statuses, join);
  joinInto(out.retriedMethods, b.retriedMethods, join);
  joinInto(out.passedThrough, b.passedThrough ?? {}, join);
  for (const [status, methods] of Object.entries(b.methods)) joinInto((out.methods[status] ??= {}), methods, join);
  for (const [status, line] of Object.entries(b.samples)) out.samples[status] ??= line;
  return out;
}

function joinInto(into: Record<string, number>, from: Record<string, number>, join: (x: number, y: number) => number): void {
  for (const [key, n] of Object.entries(from)) into[key] = key in into ? join(into[key], n) : n;
}

function addInto(into: Record<string, number>, from: Record<string, number>): void {
  joinInto(into, from, (x, y) => x + y);
}

/** Two tallies of lines as one: counts and per-minute counts add, the span covers both. Pure. */
export function mergeLogCause(a: LogCause, b: LogCause): LogCause {
  const out: LogCause = { ...a, count: a.count + b.count, upstreams: [...new Set([...a.upstreams, ...b.upstreams])].slice(0, LOG_LIMITS.upstreamsPerCause) };
  if (b.firstMs !== undefined && (a.firstMs === undefined || b.firstMs < a.firstMs)) { out.firstMs = b.firstMs; out.first = b.first; }
  if (b.lastMs !== undefined && (a.lastMs === undefined || b.lastMs > a.lastMs)) { out.lastMs = b.lastMs; out.last = b.last; }
  if (a.phases || b.phases) {
    out.phases = { ...a.phases };
    for (const [phase, n] of Object.entries(b.phases ?? {})) out.phases[phase] = (out.phases[phase] ?? 0) + n;
  }
  if (a.answered || b.answered) addInto((out.answered = { ...a.answered }), b.answered ?? {});
  if (a.methods || b.methods) addInto((out.methods = { ...a.methods }), b.methods ?? {});
  if (a.answers !== undefined || b.answers !== undefined) out.answers = (a.answers ?? 0) + (b.answers ?? 0);
  if (a.perMinute || b.perMinute) {
    const minutes = { ...a.perMinute };
    for (const [minute, n] of Object.entries(b.perMinute ?? {})) minutes[minute] = (minutes[minute] ?? 0) + n;
    out.perMinute = Object.fromEntries(Object.entries(minutes).sort(([x], [y]) => (x < y ? -1 : 1)));
  }
  return out;
}

function sum(summaries: readonly LogSummary[], of: (s: LogSummary) => number): number {
  return summaries.reduce((n, s) => n + of(s), 0);
}

/** The earliest first and latest last dated line over all summaries. */
function spanOf(summaries: readonly LogSummary[]): { firstMs?: number; lastMs?: number } {
  const firsts = summaries.map((s) => s.firstMs).filter((v): v is number => v !== undefined);
  const lasts = summaries.map((s) => s.lastMs).filter((v): v is number => v !== undefined);
  return firsts.length > 0 ? { firstMs: Math.min(...firsts), lastMs: Math.max(...lasts) } : {};
}
