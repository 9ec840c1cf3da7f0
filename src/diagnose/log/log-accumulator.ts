import type { CauseCode, LogCause, LogFormat, LogSummary } from '../../model.js';
import { DETECT_LINES, detectLogFormat, LOG_FORMAT_READERS } from './formats/index.js';
import { minuteKey, type LineClass, type LogFormatReader } from './line-class.js';

/** Bounds that keep a summary's memory flat whatever the log's size. */
export const LOG_LIMITS = {
  upstreamsPerCause: 10, phasesPerCause: 8, unknownSamples: 5, sampleChars: 400,
  /** A day of minutes per cause; a longer log keeps the first day's histogram (counts and first/last stay exact). */
  minutesPerCause: 1440,
  /** A line longer than this is cut (a binary file or a runaway line must not hold memory). */
  lineChars: 64 * 1024,
} as const;

export interface LogAccumulatorOptions {
  /** `auto` (default): detected from the first DETECT_LINES non-empty lines; nginx when none is recognisable. */
  format?: LogFormat | 'auto';
  /** Lines dated before this moment are counted as skipped; undated lines are kept. */
  sinceMs?: number;
}

export interface LogAccumulator {
  /** Takes one raw line (without its newline). */
  add(line: string): void;
  /** The summary so far; a fresh object each call. */
  summary(): LogSummary;
}

/**
 * Counts gateway log lines into a LogSummary holding only counts, first/last times, a capped
 * per-minute histogram, capped upstreams and phases, one sample line per cause and a few unknown
 * samples: memory stays the same for 1 MB and 10 GB. With `format: 'auto'` the first lines are held
 * until the format is known (at most DETECT_LINES), then classified like the rest.
 */
export function createLogAccumulator(file: string, options: LogAccumulatorOptions = {}): LogAccumulator {
  const asked = options.format ?? 'auto';
  let reader: LogFormatReader | undefined = asked === 'auto' ? undefined : LOG_FORMAT_READERS[asked];
  let formatSource: LogSummary['formatSource'] = asked === 'auto' ? 'assumed' : 'given';
  const pending: string[] = [];
  let lines = 0;
  let skipped = 0;
  let ignored = 0;
  let ok = 0;
  let firstMs: number | undefined;
  let lastMs: number | undefined;
  const causes = new Map<CauseCode, LogCause>();
  /** Per cause: minute number (epoch ms / 60000) → lines; a Map so the cap check costs nothing per line. */
  const minutesOf = new Map<CauseCode, Map<number, number>>();
  const unknown = { count: 0, samples: [] as string[] };

  function settle(): void {
    if (reader) return;
    const detected = detectLogFormat(pending);
    reader = LOG_FORMAT_READERS[detected ?? 'nginx'];
    formatSource = detected ? 'detected' : 'assumed';
    for (const line of pending.splice(0)) count(line);
  }

  function add(raw: string): void {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    if (line.length > LOG_LIMITS.lineChars) line = line.slice(0, LOG_LIMITS.lineChars);
    lines++;
    if (!reader) {
      pending.push(line);
      if (pending.length >= DETECT_LINES) settle();
      return;
    }
    count(line);
  }

  function count(line: string): void {
    const found: LineClass = reader!.classify(line);
    if (options.sinceMs !== undefined && found.timeMs !== undefined && found.timeMs < options.sinceMs) {
      skipped++;
      return;
    }
    if (found.timeMs !== undefined) {
      if (firstMs === undefined || found.timeMs < firstMs) firstMs = found.timeMs;
      if (lastMs === undefined || found.timeMs > lastMs) lastMs = found.timeMs;
    }
    if (found.kind === 'ok') return void ok++;
    if (found.kind === 'ignored') return void ignored++;
    if (found.kind === 'unknown') {
      unknown.count++;
      if (unknown.samples.length < LOG_LIMITS.unknownSamples) unknown.samples.push(clip(line));
      return;
    }
    let cause = causes.get(found.code);
    if (!cause) {
      cause = { count: 0, upstreams: [], sample: clip(line), phases: {} };
      causes.set(found.code, cause);
      minutesOf.set(found.code, new Map());
    }
    cause.count++;
    noteTime(cause, minutesOf.get(found.code)!, found.time, found.timeMs);
    if (found.upstream && cause.upstreams.length < LOG_LIMITS.upstreamsPerCause && !cause.upstreams.includes(found.upstream)) {
      cause.upstreams.push(found.upstream);
    }
    const phases = cause.phases!;
    if (found.phase && (found.phase in phases || Object.keys(phases).length < LOG_LIMITS.phasesPerCause)) {
      phases[found.phase] = (phases[found.phase] ?? 0) + 1;
    }
  }

  function summary(): LogSummary {
    settle();
    const out: LogSummary['causes'] = {};
    for (const [code, cause] of causes) {
      const copy: LogCause = { ...cause, upstreams: [...cause.upstreams], phases: { ...cause.phases } };
      if (Object.keys(copy.phases!).length === 0) delete copy.phases;
      const minutes = [...minutesOf.get(code)!].sort((a, b) => a[0] - b[0]);
      if (minutes.length > 0) copy.perMinute = Object.fromEntries(minutes.map(([m, n]) => [minuteKey(m * 60_000), n]));
      out[code] = copy;
    }
    return {
      file, format: reader!.name, formatSource, ok, ...(firstMs !== undefined ? { firstMs, lastMs } : {}), lines, skipped, ignored, causes: out,
      unknown: { count: unknown.count, samples: [...unknown.samples] },
    };
  }

  return { add, summary };
}

/** First/last seen (by the moment, so formats whose text does not sort still order right) and the minute's count. */
function noteTime(cause: LogCause, minutes: Map<number, number>, time: string | undefined, timeMs: number | undefined): void {
  if (timeMs === undefined) {
    // Undated-but-stamped text (a time we cannot read): keep the text, never the order.
    if (time !== undefined) { cause.first ??= time; cause.last = time; }
    return;
  }
  if (cause.firstMs === undefined || timeMs < cause.firstMs) { cause.firstMs = timeMs; cause.first = time; }
  if (cause.lastMs === undefined || timeMs >= cause.lastMs) { cause.lastMs = timeMs; cause.last = time; }
  const minute = Math.floor(timeMs / 60_000);
  const n = minutes.get(minute);
  if (n !== undefined) minutes.set(minute, n + 1);
  else if (minutes.size < LOG_LIMITS.minutesPerCause) minutes.set(minute, 1);
}

function clip(line: string): string {
  return line.length > LOG_LIMITS.sampleChars ? `${line.slice(0, LOG_LIMITS.sampleChars)}…` : line;
}
