import { failuresAnsweredWith, type GatewayProfile } from '../../gateways/index.js';
import type { CauseCode, LogCause, LogSummary } from '../../model.js';

/**
 * An access log says what the client got, not why. Read with the gateway's status table: a status
 * the gateway answers for one cause only names it (nginx, HAProxy and Caddy answer 504 only when the
 * backend is slower than their timeout) — such answers become that cause, marked `fromStatus`;
 * the rest of the failed answers that no line explains are `unexplained` (Varnish's 503 is every
 * failure; Apache's 502 three of them). Lines that name a cause explain the answers they carry, and
 * error-log lines without a status (nginx, Apache: one per failed attempt) explain as many failed
 * answers as they are. `statuses` are the gateway's failure statuses. Pure; returns a new summary.
 */
export function readAnswers(log: LogSummary, statuses: readonly number[], profile?: GatewayProfile): LogSummary {
  const answers = log.answers;
  if (!answers) return log;
  const causes: LogSummary['causes'] = structuredClone(log.causes);
  const named = new Map<number, number>();
  let attempts = 0;
  for (const cause of Object.values(causes) as LogCause[]) {
    const withStatus = Object.values(cause.answered ?? {}).reduce((n, c) => n + c, 0);
    for (const [status, n] of Object.entries(cause.answered ?? {})) named.set(Number(status), (named.get(Number(status)) ?? 0) + n);
    attempts += cause.count - withStatus;
  }
  const unexplained: Record<string, number> = {};
  for (const status of statuses) {
    let left = (answers.statuses[String(status)] ?? 0) - (answers.passedThrough[String(status)] ?? 0) - (named.get(status) ?? 0);
    const covered = Math.min(Math.max(left, 0), attempts);
    attempts -= covered;
    left -= covered;
    if (left <= 0) continue;
    const only = profile ? failuresAnsweredWith(profile, status) : [];
    if (only.length === 1) addImplied(causes, only[0], status, left, answers.samples[String(status)], answers.methods[String(status)]);
    else unexplained[String(status)] = left;
  }
  return { ...log, causes, ...(Object.keys(unexplained).length > 0 ? { unexplained } : {}) };
}

function addImplied(causes: LogSummary['causes'], code: CauseCode, status: number, count: number, sample = '', methods?: Record<string, number>): void {
  const existing = causes[code];
  if (existing) {
    existing.count += count;
    existing.answered = { ...existing.answered, [status]: (existing.answered?.[status] ?? 0) + count };
    return;
  }
  causes[code] = { count, upstreams: [], sample, answered: { [status]: count }, ...(methods ? { methods: { ...methods } } : {}), answers: count, fromStatus: status };
}
