/**
 * What a diagnosis could not look at, said in the report instead of passing for "nothing found":
 * the probes a Ctrl-C cut or never started, and a run that probed no HTTP request at all. Pure.
 */
import type { DiagnoseReport, ProbeResult, SkippedRequest } from '../model.js';
import { MAX_PROBED_REQUESTS } from './probes/probe-direct-vs-gateway.js';
import type { ProbeRequest } from './targets.js';

export interface InterruptionInput {
  /** Every probe result, the cut ones (`interrupted`) among them. */
  probes: readonly ProbeResult[];
  /** The requests the HTTP probe was to send (each through the gateway and direct). */
  requests: readonly ProbeRequest[];
  /** Probes ran (an environment was given). */
  probed: boolean;
  /** Logs given, and whether the signal had fired before the first was read. */
  logs: number;
  stoppedBeforeLogs: boolean;
}

/** DiagnoseReport.interrupted for a diagnosis the signal stopped: one line per probe cut or never started, and the logs. */
export function describeInterruption(input: InterruptionInput): NonNullable<DiagnoseReport['interrupted']> {
  const unfinished = input.probes.filter((p) => p.interrupted).map((p) => `${p.kind}${p.route ? ` ${p.route}` : ''}: ${p.evidence}`);
  if (input.probed) {
    const sent = new Set(input.probes.filter((p) => p.kind === 'direct-vs-gateway' && !p.interrupted).map((p) => `${p.request} ${p.route}`));
    // Only the requests the probe would have sent: past MAX_PROBED_REQUESTS none is, interrupted or not.
    const notStarted = input.requests.slice(0, MAX_PROBED_REQUESTS).flatMap((r) => ['gateway', 'backend'].map((route) => `${r.method} ${r.path} ${route}`))
      .filter((key) => !sent.has(key) && !input.probes.some((p) => p.interrupted && `${p.request} ${p.route}` === key));
    if (notStarted.length > 0) unfinished.push(`direct-vs-gateway: ${notStarted.length} probe${notStarted.length === 1 ? '' : 's'} not started (${notStarted.slice(0, 3).join(', ')}${notStarted.length > 3 ? ', …' : ''})`);
  }
  if (input.logs > 0) unfinished.push(input.stoppedBeforeLogs ? 'gateway logs: not read' : 'gateway logs: read up to the Ctrl-C only');
  return {
    message: `interrupted (Ctrl-C / SIGTERM): the report covers what finished; ${unfinished.length === 0 ? 'nothing was cut' : `not finished: ${unfinished.length} item${unfinished.length === 1 ? '' : 's'}`} — what was cut counts neither as passed nor as failed`,
    unfinished,
  };
}

/**
 * DiagnoseReport.inconclusive when probes ran but no HTTP request was probed — every request of
 * the collection skipped (unsafe methods, a URL at neither route, what a probe cannot send):
 * DNS and TCP passing say nothing about the 502s. Undefined when an HTTP probe ran.
 */
export function describeInconclusive(probes: readonly ProbeResult[], skipped: readonly SkippedRequest[] | undefined): string | undefined {
  if (probes.some((p) => p.kind === 'direct-vs-gateway')) return undefined;
  const why = skipped && skipped.length > 0
    ? `every request of the collection was skipped (${skipped.length}: ${skipped.slice(0, 2).map((s) => `${s.request}: ${s.reason}`).join('; ')}${skipped.length > 2 ? '; …' : ''})`
    : 'the collection has no request whose URL starts with {{gateway_url}} or {{backend_url}}';
  return `no HTTP request was probed through the gateway and direct — ${why}; the checks that ran clear neither side`;
}
