import type { CauseCode, LogCause } from '../../model.js';
import type { DiagnoseEvidence } from './evidence.js';
import { failureStatuses } from './gateway-terms.js';

/** Causes of a request that died on a connection the gateway had pooled: the ones a gateway retries. */
const POOLED_FAILURES: readonly CauseCode[] = ['backend-closed-connection', 'connection-reset', 'keepalive-race'];

/** `GET 2, POST 1`. */
export function describeMethods(methods: Record<string, number> | undefined): string {
  return Object.entries(methods ?? {}).sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} ${n}`).join(', ');
}

function sum(record: Record<string, number> | undefined, keys?: readonly string[]): number {
  return Object.entries(record ?? {}).filter(([k]) => !keys || keys.includes(k)).reduce((n, [, c]) => n + c, 0);
}

/**
 * Lines are not requests. What the failed answers behind a cause's lines were: the status the lines
 * themselves carry (access lines, Caddy, varnishlog); else an access log read beside the error log
 * (its failed answers and the requests the gateway retried, counted together — the two are not
 * matched line by line); else, for failures on pooled connections, which methods the gateway never
 * retries (each such line was an error answer) and which it may have retried. Undefined when there
 * is nothing to add.
 */
export function describeFailedAnswers(evidence: DiagnoseEvidence, code: CauseCode, cause: LogCause): string | undefined {
  const statuses = failureStatuses(evidence).map(String);
  const failed = sum(cause.answered, statuses);
  if (cause.answered && cause.fromStatus === undefined) {
    const seen = Object.entries(cause.answered).map(([s, n]) => `${n} × ${s}`).join(', ');
    return `${failed} failed answer(s) to the client: ${seen}${cause.methods ? ` (${describeMethods(cause.methods)})` : ''}`;
  }
  if (cause.answered) return undefined;
  // nginx's phase: a close "while reading upstream" came after the answer's header was sent on — the client got its status and a cut body, not a 502.
  const cut = cause.phases?.['reading upstream'] ?? 0;
  const cutNote = cut > 0 ? `; ${cut} of them came while reading the body, after the status had gone to the client: a cut answer, not a 502` : '';
  const answers = evidence.log?.answers;
  const name = evidence.gateway?.name ?? 'the gateway';
  if (answers) {
    const failedAnswers = statuses.reduce((n, s) => n + (answers.statuses[s] ?? 0), 0);
    const byMethod = describeMethods(Object.assign({}, ...statuses.map((s) => answers.methods[s] ?? {})));
    const retried = answers.retried > 0 ? `; ${answers.retried} answered after ${name} retried a failed attempt (${describeMethods(answers.retriedMethods)})` : '';
    return `${cause.count} upstream error line(s)${cutNote}; the access log beside it: ${failedAnswers} of ${answers.count} request(s) ended in ${statuses.join('/')}${byMethod ? ` (${byMethod})` : ''}${retried} — counted together, not matched line by line`;
  }
  if (cut > 0) return `${cause.count} upstream error line(s)${cutNote}`;
  const pooling = evidence.gateway?.pooling;
  // A gateway that never retries writes one line per failed request, answered with its status for the cause.
  if (evidence.gateway && pooling && !pooling.retriesIdempotent) {
    const status = (evidence.gateway.answers as Partial<Record<CauseCode, { status: number | null }>>)[code]?.status;
    return `${cause.count} failed request(s), one line each (${name} does not retry a failed attempt)${status ? `: each answered ${status}, ${name}'s answer for ${code}` : ''}`;
  }
  if (!POOLED_FAILURES.includes(code) || !pooling?.retriesIdempotent || !cause.methods) return undefined;
  const never = pooling.neverRetried ?? ['POST', 'PATCH'];
  const once = sum(cause.methods, never);
  const maybe = cause.count - once;
  if (maybe === 0) return `${cause.count} upstream error line(s), each an error answer: ${describeMethods(cause.methods)} — ${name} never sends those twice`;
  return `${cause.count} upstream error line(s) are attempts, not requests: ${once} ${never.join('/')} each ended in an error answer (${name} never sends those twice); ${maybe} other(s) ${name} retries by default on a fresh connection when a pooled one fails (${evidence.gateway?.words.retry ?? 'its retry setting'}), so they may have been answered — give the access log beside it (--log) to count the failed answers`;
}
