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
  const answers = summaries.map((s) => s.answers).filter((a): a is LogAnswers => a !== undefined);
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
    ...(answers.length > 0 ? { answers: answers.reduce(mergeAnswers) } : {}),
  };
}

/** Two access logs' answers as one: every count adds up (each file's lines are requests of their own). Pure. */
export function mergeAnswers(a: LogAnswers, b: LogAnswers): LogAnswers {
  const out = structuredClone(a);
  out.count += b.count;
  out.retried += b.retried;
  addInto(out.statuses, b.statuses);
  addInto(out.retriedMethods, b.retriedMethods);
  for (const [status, methods] of Object.entries(b.methods)) addInto((out.methods[status] ??= {}), methods);
  for (const [status, line] of Object.entries(b.samples)) out.samples[status] ??= line;
  return out;
}

function addInto(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
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
