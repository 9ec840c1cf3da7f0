import type { CauseCode, LogCause, LogSummary } from '../../model.js';
import { classifyLine } from './classify-line.js';

/** Bounds that keep a summary's memory flat whatever the log's size. */
export const LOG_LIMITS = { upstreamsPerCause: 10, phasesPerCause: 8, unknownSamples: 5, sampleChars: 400 } as const;

export interface LogAccumulator {
  /** Takes one raw line (without its newline). */
  add(line: string): void;
  /** The summary so far; a fresh object each call. */
  summary(): LogSummary;
}

/**
 * Counts nginx error-log lines into a LogSummary holding only counts, first/last timestamps, a
 * capped set of upstreams and phases, one sample line per cause and a few unknown samples:
 * memory stays the same for 1 MB and 10 GB. Lines older than `sinceNginxTime` (nginx's own
 * `YYYY/MM/DD HH:MM:SS`, see formatNginxTime) are counted as skipped; lines without a timestamp
 * cannot be dated and are kept.
 */
export function createLogAccumulator(file: string, sinceNginxTime?: string): LogAccumulator {
  let lines = 0;
  let skipped = 0;
  let ignored = 0;
  const causes = new Map<CauseCode, LogCause>();
  const unknown = { count: 0, samples: [] as string[] };

  function add(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    lines++;
    const found = classifyLine(line);
    if (sinceNginxTime !== undefined && found.time !== undefined && found.time < sinceNginxTime) {
      skipped++;
      return;
    }
    if (found.kind === 'ignored') {
      ignored++;
      return;
    }
    if (found.kind === 'unknown') {
      unknown.count++;
      if (unknown.samples.length < LOG_LIMITS.unknownSamples) unknown.samples.push(clip(line));
      return;
    }
    let cause = causes.get(found.code);
    if (!cause) {
      cause = { count: 0, first: found.time, last: found.time, upstreams: [], sample: clip(line), phases: {} };
      causes.set(found.code, cause);
    }
    cause.count++;
    if (found.time !== undefined) {
      if (cause.first === undefined || found.time < cause.first) cause.first = found.time;
      if (cause.last === undefined || found.time > cause.last) cause.last = found.time;
    }
    if (found.upstream && cause.upstreams.length < LOG_LIMITS.upstreamsPerCause && !cause.upstreams.includes(found.upstream)) {
      cause.upstreams.push(found.upstream);
    }
    const phases = cause.phases!;
    if (found.phase && (found.phase in phases || Object.keys(phases).length < LOG_LIMITS.phasesPerCause)) {
      phases[found.phase] = (phases[found.phase] ?? 0) + 1;
    }
  }

  function summary(): LogSummary {
    const out: LogSummary['causes'] = {};
    for (const [code, cause] of causes) {
      const copy: LogCause = { ...cause, upstreams: [...cause.upstreams], phases: { ...cause.phases } };
      if (Object.keys(copy.phases!).length === 0) delete copy.phases;
      out[code] = copy;
    }
    return { file, lines, skipped, ignored, causes: out, unknown: { count: unknown.count, samples: [...unknown.samples] } };
  }

  return { add, summary };
}

function clip(line: string): string {
  return line.length > LOG_LIMITS.sampleChars ? `${line.slice(0, LOG_LIMITS.sampleChars)}…` : line;
}
