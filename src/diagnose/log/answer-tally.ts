import type { LogAnswers } from '../../model.js';
import type { LineRequest } from '../../gateways/logs/index.js';

export interface AnswerTally {
  /** Takes one line that is a request's final answer. */
  add(found: LineRequest, line: string): void;
  count(): number;
  /** The tally so far; a fresh object each call. */
  summary(): LogAnswers;
}

/**
 * Counts an access log's answers: one per request line, by status; for 5xx answers the methods and
 * one sample line each; the requests answered well after failed attempts (the gateway's retries).
 * Status codes and method names are few, so memory stays flat.
 */
export function createAnswerTally(sampleChars: number): AnswerTally {
  const out: LogAnswers = { count: 0, statuses: {}, methods: {}, retried: 0, retriedMethods: {}, passedThrough: {}, samples: {} };
  return {
    add(found, line) {
      out.count++;
      const status = found.status === undefined ? '-' : String(found.status);
      out.statuses[status] = (out.statuses[status] ?? 0) + 1;
      if (found.status !== undefined && found.status >= 500) {
        const methods = (out.methods[status] ??= {});
        const method = found.method ?? '?';
        methods[method] = (methods[method] ?? 0) + 1;
        out.samples[status] ??= line.length > sampleChars ? `${line.slice(0, sampleChars)}…` : line;
      }
      if (found.fromBackend) out.passedThrough[status] = (out.passedThrough[status] ?? 0) + 1;
      if (found.retriedAttempts) {
        out.retried++;
        const method = found.method ?? '?';
        out.retriedMethods[method] = (out.retriedMethods[method] ?? 0) + 1;
      }
    },
    count: () => out.count,
    summary: () => structuredClone(out),
  };
}
