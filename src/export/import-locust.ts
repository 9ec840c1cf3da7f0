/**
 * A Locust run back into a RampReport: the CSVs the generated locustfile's run wrote (`--csv PREFIX
 * --csv-full-history`) → one step per stretch of time at one user count and one target, judged as
 * a local ramp judges a step, then debug502's own breaking point and verdict. Pure: read-locust-run.ts
 * reads the files.
 *
 * Locust keeps no per-request record, so a step is the difference of the cumulative counters between
 * two history rows (one a second): the first SETTLE_MS of each stretch is skipped, as the locustfile's
 * shape skips it, because answers of the level before still arrive then. Latency percentiles are
 * Locust's "current" ones (its last ~10 s) at the end of the step; the first failure's ordinal is
 * exact to the second; requests in flight and the client's CPU are not recorded (peak = users).
 */
import { InputError } from '../errors.js';
import { MAX_CONCURRENCY, type RampReport, type RampTarget, type StepPhase, type StepResult } from '../model.js';
import { isStepFailed, summarizeTarget } from '../ramp/detect.js';
import { RAMP_DEFAULTS } from '../ramp/options.js';
import { decideRampVerdict } from '../ramp/verdict.js';
import { VERSION } from '../version.js';
import { parseLocustName, type LocustName } from './locust-names.js';
import { SETTLE_MS } from './options.js';

export const HISTORY_COLUMNS = ['Timestamp', 'User Count', 'Name', 'Total Request Count', 'Total Failure Count', '50%', '90%', '95%', '99%', '100%'];
export const LOCUST_HINT = 'run the exported locustfile with --csv PREFIX --csv-full-history and pass that PREFIX';

export interface LocustImportOptions {
  /** A step fails when more than this share fails (the export's --threshold); default 0. */
  threshold?: number;
  /** Statuses that fail a step; default 502 plus every status the run itself counted as failed. */
  failOn?: number[];
  /** `--fail-on slow`: answers over the latency limit fail a step too (default: no). */
  failOnSlow?: boolean;
  /** What the report calls the run (default: the prefix). */
  label?: string;
  /** What errors call the history (default: "the Locust history"): its file name. */
  source?: string;
}

interface Row {
  ts: number;
  users: number;
  /** Aggregated "current" percentiles. */
  latency: StepResult['latencyMs'];
  /** Cumulative requests and failures per stats name. */
  counts: Map<string, { requests: number; failures: number }>;
}

/** Rows of `_stats_history.csv` (with per-name rows) → the report of the ramp they record. */
export function buildLocustReport(historyRows: Iterable<Record<string, string>>, options: LocustImportOptions = {}): { report: RampReport; notes: string[] } {
  const rows = groupRows(historyRows, options.source ?? 'the Locust history');
  const names = classifyNames(rows);
  if (names.size === 0) {
    throw new InputError('the Locust history names no request of a debug502 locustfile ("[gateway] …" / "[backend] …")', [], `${LOCUST_HINT} (only files written by "debug502 export --to locust" can be read back)`);
  }
  const failOn = options.failOn ?? inferFailOn(rows, names);
  const threshold = options.threshold ?? 0;
  const failOnSlow = options.failOnSlow ?? false;
  const stretches = splitByUsers(rows);
  const settleRows = Math.round(SETTLE_MS / 1000);
  const steps: Partial<Record<RampTarget, StepResult[]>> = {};
  const runRequests: Partial<Record<RampTarget, number>> = {};
  const notes: string[] = [];
  for (const { from, to } of stretches.flatMap((stretch) => splitByTarget(rows, names, stretch))) {
    const base = from + settleRows - 1;
    if (to <= base) continue; // too short to judge: a transition between levels
    const sent = sentByTarget(rows, names, base, to);
    const target = busiestOf(sent);
    if (!target) continue;
    const other: RampTarget = target === 'gateway' ? 'backend' : 'gateway';
    if ((sent[other] ?? 0) > 0) {
      // Not one target's level: the user count is both sides' users (a locustfile written before
      // the shape stopped one target's users before starting the other's). Judging it would
      // give a level no target was run at.
      notes.push(`${rows[to].users} users from ${new Date(rows[from].ts * 1000).toISOString()}: not judged, the users of both targets sent requests in it (gateway ${sent.gateway}, backend ${sent.backend}), as a locustfile exported before the shape ran one target at a time did; export it again and rerun`);
      continue;
    }
    const list = (steps[target] ??= []);
    const phase: StepPhase = list.some((s) => s.failed) ? 'bisect' : 'ramp';
    const step = measureStep(rows, names, { base, to, target, phase, failOn, failOnSlow, threshold, runRequestsBefore: runRequests[target] ?? 0 });
    runRequests[target] = (runRequests[target] ?? 0) + step.requests;
    list.push(step);
  }
  const targets: RampReport['targets'] = {};
  for (const target of ['gateway', 'backend'] as const) if (steps[target]) targets[target] = summarizeTarget(steps[target]!);
  if (!targets.gateway && !targets.backend) {
    throw new InputError(`the Locust history holds no level held longer than ${SETTLE_MS / 1000 + 1} s`, [], LOCUST_HINT);
  }
  const levels = Object.values(steps).flatMap((list) => list!.map((s) => s.concurrency));
  const all = Object.values(steps).flatMap((list) => list!);
  const max = Math.max(...levels);
  const verdict = decideRampVerdict(targets, { failOn, max, bisect: false });
  // No debug502 engine sent these requests: the report names Locust as its source instead.
  const { engine: _engine, ...defaults } = RAMP_DEFAULTS;
  const first = rows[0].ts;
  const last = rows[rows.length - 1].ts;
  const report: RampReport = {
    schemaVersion: 2,
    meta: {
      tool: 'debug502',
      version: VERSION,
      collection: options.label ?? 'Locust run',
      environment: '',
      startedAt: new Date(first * 1000).toISOString(),
      durationMs: (last - first) * 1000,
      options: {
        ...defaults,
        mode: 'concurrency',
        target: targets.gateway && targets.backend ? 'both' : targets.gateway ? 'gateway' : 'backend',
        start: Math.min(...levels),
        max,
        threshold,
        failOn,
        ...(failOnSlow ? { failOnSlow } : {}),
        // Locust holds each level for a time: the largest step's requests stand for the budget.
        requestsPerStep: Math.max(1, ...all.map((s) => s.requests)),
        maxRequests: Math.max(1, all.reduce((n, s) => n + s.requests, 0)),
        maxDurationMs: Math.max(1000, (last - first) * 1000),
      },
      source: { tool: 'locust', files: [], note: `Locust, ${all.length} steps judged on their last seconds (the first ${SETTLE_MS / 1000} s of each level skipped)` },
    },
    targets,
    verdict,
  };
  return { report, notes };
}

/**
 * Rows by timestamp. A user count that is not a whole number from 0 to MAX_CONCURRENCY is an
 * InputError: the exported locustfile never runs more users than a ramp may (its --max is capped
 * there), so such a history is not one of its runs, and a level read from it would be one no ramp had.
 */
function groupRows(historyRows: Iterable<Record<string, string>>, source: string): Row[] {
  const rows: Row[] = [];
  let current: Row | undefined;
  for (const r of historyRows) {
    const ts = Number(r['Timestamp']);
    if (!Number.isFinite(ts)) continue;
    const users = r['User Count'];
    if (!/^\d{1,7}$/.test(users ?? '') || Number(users) > MAX_CONCURRENCY) {
      throw new InputError(`${source}: "User Count" is ${JSON.stringify(users)} at Timestamp ${r['Timestamp']}; a debug502 locustfile runs whole numbers of users up to ${MAX_CONCURRENCY}, the cap of a ramp`, [], LOCUST_HINT);
    }
    if (!current || current.ts !== ts) {
      current = { ts, users: 0, latency: { p50: 0, p90: 0, p95: 0, p99: 0, max: 0 }, counts: new Map() };
      rows.push(current);
    }
    const counts = { requests: Number(r['Total Request Count']) || 0, failures: Number(r['Total Failure Count']) || 0 };
    if (r['Name'] === 'Aggregated') {
      current.users = Number(users);
      const ms = (column: string) => (Number.isFinite(Number(r[column])) ? Number(r[column]) : 0);
      current.latency = { p50: ms('50%'), p90: ms('90%'), p95: ms('95%'), p99: ms('99%'), max: ms('100%') };
    } else current.counts.set(r['Name'], counts);
  }
  return rows;
}

/** Each stats name's meaning, from its last row (a transport code is a name whose requests all failed). */
function classifyNames(rows: readonly Row[]): Map<string, LocustName> {
  const last = new Map<string, { requests: number; failures: number }>();
  for (const row of rows) for (const [name, counts] of row.counts) last.set(name, counts);
  const names = new Map<string, LocustName>();
  for (const [name, counts] of last) {
    const parsed = parseLocustName(name, counts.requests > 0 && counts.failures === counts.requests);
    if (parsed) names.set(name, parsed);
  }
  return names;
}

/** 502, and every status the run itself marked failed (the export's --fail-on). */
function inferFailOn(rows: readonly Row[], names: Map<string, LocustName>): number[] {
  const statuses = new Set([502]);
  const lastRow = new Map<string, { failures: number }>();
  for (const row of rows) for (const [name, counts] of row.counts) lastRow.set(name, counts);
  for (const [name, parsed] of names) {
    if (parsed.outcome.kind === 'status' && !parsed.outcome.slow && (lastRow.get(name)?.failures ?? 0) > 0) statuses.add(parsed.outcome.status);
  }
  return [...statuses].sort((a, b) => a - b);
}

/** Stretches of consecutive rows at one user count above 0: [from, to] row indexes. */
function splitByUsers(rows: readonly Row[]): { from: number; to: number }[] {
  const stretches: { from: number; to: number }[] = [];
  for (let i = 0; i < rows.length; i += 1) {
    const last = stretches[stretches.length - 1];
    if (last && last.to === i - 1 && rows[last.from].users === rows[i].users) last.to = i;
    else if (rows[i].users > 0) stretches.push({ from: i, to: i });
  }
  return stretches;
}

function delta(rows: readonly Row[], name: string, base: number, to: number): { requests: number; failures: number } {
  const at = (i: number) => {
    for (let j = i; j >= 0; j -= 1) {
      const counts = rows[j].counts.get(name);
      if (counts) return counts;
    }
    return { requests: 0, failures: 0 };
  };
  const a = at(base);
  const b = at(to);
  return { requests: Math.max(0, b.requests - a.requests), failures: Math.max(0, b.failures - a.failures) };
}

/** Requests each target got between rows `base` and `to`. */
function sentByTarget(rows: readonly Row[], names: Map<string, LocustName>, base: number, to: number): Record<RampTarget, number> {
  const sent: Record<RampTarget, number> = { gateway: 0, backend: 0 };
  for (const [name, parsed] of names) sent[parsed.target] += delta(rows, name, base, to).requests;
  return sent;
}

function busiestOf(sent: Record<RampTarget, number>): RampTarget | undefined {
  return (['gateway', 'backend'] as const).filter((t) => sent[t] > 0).sort((a, b) => sent[b] - sent[a])[0];
}

/**
 * A stretch at one user count cut where the target changes: the locustfile runs one target at a
 * time and stops every user between them, so a row at 0 users normally separates them; when the
 * history missed that row (a busy master), the two sides' levels can still be the same user count.
 * The cut is after the last second only the first target sent in, so the new part's first second
 * (which may hold both) is its unjudged start, as the first row after a change of user count is.
 */
function splitByTarget(rows: readonly Row[], names: Map<string, LocustName>, stretch: { from: number; to: number }): { from: number; to: number }[] {
  const parts: { from: number; to: number }[] = [];
  let from = stretch.from;
  let current: RampTarget | undefined;
  let lastOfCurrent = from;
  for (let i = stretch.from + 1; i <= stretch.to; i += 1) {
    const sent = sentByTarget(rows, names, i - 1, i);
    const only = sent.gateway > 0 && sent.backend === 0 ? 'gateway' : sent.backend > 0 && sent.gateway === 0 ? 'backend' : undefined;
    if (!only) continue; // no request, or both: the change may lie in this second
    if (current !== undefined && only !== current) {
      parts.push({ from, to: lastOfCurrent });
      from = lastOfCurrent + 1;
    }
    current = only;
    lastOfCurrent = i;
  }
  parts.push({ from, to: stretch.to });
  return parts;
}

interface StepWindow {
  base: number;
  to: number;
  target: RampTarget;
  phase: StepPhase;
  failOn: number[];
  failOnSlow: boolean;
  threshold: number;
  runRequestsBefore: number;
}

function measureStep(rows: readonly Row[], names: Map<string, LocustName>, w: StepWindow): StepResult {
  const status: Record<string, number> = {};
  const transportErrors: Record<string, number> = {};
  let requests = 0;
  let failures = 0;
  let count502 = 0;
  let slow = 0;
  let firstFailure: number | null = null;
  // Walk the window second by second, so the first failure's ordinal is known to the second.
  for (let i = w.base + 1; i <= w.to; i += 1) {
    let sentNow = 0;
    let failedNow = 0;
    for (const [name, parsed] of names) {
      if (parsed.target !== w.target) continue;
      const d = delta(rows, name, i - 1, i).requests;
      if (d === 0) continue;
      sentNow += d;
      if (parsed.outcome.kind === 'transport') {
        transportErrors[parsed.outcome.code] = (transportErrors[parsed.outcome.code] ?? 0) + d;
        failedNow += d;
      } else {
        status[parsed.outcome.status] = (status[parsed.outcome.status] ?? 0) + d;
        if (parsed.outcome.status === 502) count502 += d;
        if (w.failOn.includes(parsed.outcome.status)) failedNow += d;
        else if (parsed.outcome.slow && w.failOnSlow) {
          slow += d;
          failedNow += d;
        }
      }
    }
    if (failedNow > 0 && firstFailure === null) firstFailure = requests + 1;
    requests += sentNow;
    failures += failedNow;
  }
  const durationMs = (rows[w.to].ts - rows[w.base].ts) * 1000;
  const users = rows[w.to].users;
  return {
    concurrency: users,
    phase: w.phase,
    requests,
    status: sortKeys(status),
    transportErrors: sortKeys(transportErrors),
    failures,
    ...(w.failOnSlow ? { slow } : {}),
    rate502: requests === 0 ? 0 : count502 / requests,
    failureRate: requests === 0 ? 0 : failures / requests,
    latencyMs: rows[w.to].latency,
    rps: durationMs > 0 ? Math.round((requests * 100_000) / durationMs) / 100 : 0,
    durationMs,
    first502AtRequest: firstFailure,
    first502AtRunRequest: firstFailure === null ? null : w.runRequestsBefore + firstFailure,
    peakInFlight: users,
    underdriven: false,
    clientCpuPercent: 0,
    failed: isStepFailed(failures, requests, w.threshold),
  };
}

function sortKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
