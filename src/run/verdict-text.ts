/**
 * The words of each verdict: a message built from what was observed, and the next step to take,
 * taken from the guide's troubleshooting steps. Kept apart from the rule table so the rules stay
 * one screen long.
 */
import type { RouteObservation, RunVerdictCode, Verdict } from '../model.js';
import { describeObservation } from '../facts/observation.js';
import type { ObservationKind } from './classify.js';

/** What a verdict rule sees (verdict.ts), and what its words are built from: each side's kind and observation. */
export interface VerdictFacts {
  gateway: ObservationKind;
  backend: ObservationKind;
  gatewayObservation?: RouteObservation;
  backendObservation?: RouteObservation;
  maxLatencyMs: number;
}

/** Where the two routes point; only used to write concrete commands into the next step. */
export interface VerdictContext {
  gatewayUrl?: string;
  backendUrl?: string;
}

/** newman's TLS flags for the TLS errors a side can end in. */
const TLS_HINT = 'A TLS error is named in the message: --insecure accepts a self-signed certificate, --ssl-extra-ca-certs CA.pem trusts a private CA, '
  + '--ssl-client-cert FILE --ssl-client-key FILE answer a server that asks for a client certificate.';

/** The guide's next step for each verdict but `ok`. `{backend}` / `{gateway}` become the URLs. */
export const NEXT_STEPS: Readonly<Record<Exclude<RunVerdictCode, 'ok'>, string>> = {
  'gateway-misconfigured':
    'Direct calls succeed but gateway calls fail, so the issue is in the gateway configuration: check its upstream address and port ' +
    '(proxy_pass / upstream server → {backend}), the rule for this path, and its timeouts; after a deploy, make sure it does not still point at old addresses. ' +
    'Its error log says which ("connect() failed", "no live upstreams", "upstream timed out").',
  'backend-down':
    'Check backend server health: "systemctl status <your service>", "curl {backend}/health", and its resources ("top", "free -h"). ' +
    'If it is down or out of memory, restart it or add capacity; if it only fails under load, find the level with "debug502 ramp".',
  'backend-unresolvable':
    'Verify DNS resolution: "nslookup <backend host>" here and on the gateway machine; fix the DNS record or the host name in backend_url / the gateway\'s upstream.',
  'backend-unreachable':
    'Confirm network connectivity: "telnet <backend host> <port>" from the gateway machine, then the firewall rules ("iptables -L") and any recent network change between gateway and backend. ' +
    TLS_HINT,
  'backend-invalid-response':
    'The backend answers, but with malformed HTTP that the gateway refuses to pass on: fix the status line and headers it writes ' +
    '(the gateway\'s error log says "upstream sent invalid header"); "curl -v {backend}" shows the raw answer.',
  'backend-timeout':
    'The backend takes too long: find out why (CPU above 80%, memory above 85%, growing queues), or give the gateway a realistic timeout ' +
    '(nginx: proxy_connect_timeout 10s; proxy_read_timeout 120s). Timeouts that are too aggressive fail legitimate requests.',
  'backend-error':
    'The error happened inside the backend (a 500 is not a gateway problem): read the backend\'s application logs for this request and fix the failing code path.',
  'service-unavailable':
    'A 503 means the server says it is unavailable on purpose (maintenance, overload protection, rate limiting, no healthy instance): read its Retry-After header, check its status page or health endpoint, wait, or add capacity.',
  'gateway-unreachable':
    'The gateway itself does not answer: check gateway_url ({gateway}), that the gateway is running and listening on that port ("curl -v {gateway}"), and that its host name resolves. ' +
    TLS_HINT,
};

type Explain = (f: VerdictFacts) => string;

const gatewaySeen = (f: VerdictFacts) => describeObservation(f.gatewayObservation);
const backendSeen = (f: VerdictFacts) => describeObservation(f.backendObservation);

/** What each side that was requested gave: `gateway 502 in 6 ms; backend 200 in 2 ms`. */
const seen: Explain = (f) =>
  [f.gatewayObservation && `gateway ${gatewaySeen(f)}`, f.backendObservation && `backend ${backendSeen(f)}`].filter(Boolean).join('; ');

const MESSAGES: Readonly<Record<RunVerdictCode, Explain>> = {
  ok: (f) => {
    const failed = [...(f.gatewayObservation?.failedTests ?? []), ...(f.backendObservation?.failedTests ?? [])];
    const notes = [`no 502 and under ${f.maxLatencyMs} ms (${seen(f)})`];
    if (failed.length > 0) notes.push(`but test(s) failed: ${[...new Set(failed)].join(', ')}`);
    const g = f.gatewayObservation?.status;
    const b = f.backendObservation?.status;
    // Not a 502 matter, so still ok; but a gateway that answers 404 where the backend answers 200
    // usually routes this path elsewhere (or adds auth): worth a look.
    if (g !== undefined && b !== undefined && Math.floor(g / 100) !== Math.floor(b / 100)) {
      notes.push(`note: the gateway answered ${g} where the backend answered ${b}; check the gateway's rule for this path`);
    }
    return notes.join('; ');
  },
  'gateway-misconfigured': (f) => `the gateway answered ${gatewaySeen(f)} while the backend answered ${backendSeen(f)} directly: the problem sits in the gateway`,
  'backend-down': (f) => {
    if (f.backend === 'absent') return `the gateway answered ${gatewaySeen(f)} and no direct request tells the backend apart; the most common cause is a backend that is down`;
    const what = f.backend === 'refused' ? 'the backend refuses connections' : 'the backend closed the connection without answering (crashed mid-request, or over capacity)';
    return `${what}: ${seen(f)}${gatewayAnsweredNote(f)}`;
  },
  'backend-unresolvable': (f) => `the backend host name does not resolve: ${seen(f)}${gatewayAnsweredNote(f)}`,
  'backend-unreachable': (f) => `the backend cannot be reached: ${seen(f)}${gatewayAnsweredNote(f)}`,
  'backend-invalid-response': (f) => `the backend's answer is malformed: ${seen(f)}`,
  'backend-timeout': (f) =>
    f.gateway === 'status-504'
      ? `the gateway timed out waiting for the backend (504): ${seen(f)}`
      : `the backend is slower than the limit (${f.maxLatencyMs} ms, or the request timeout): ${seen(f)}`,
  'backend-error': (f) => `the backend itself fails (${f.backendObservation?.status ?? f.gatewayObservation?.status}): ${seen(f)}`,
  'service-unavailable': (f) => `503 Service Unavailable, the server says it cannot serve now: ${seen(f)}`,
  'gateway-unreachable': (f) => `the gateway itself cannot be reached: gateway ${gatewaySeen(f)}`,
};

/**
 * The gateway answered fine but the backend did not, read by how the direct request failed: a name
 * that does not resolve here was resolved by the gateway (another resolver, /etc/hosts); a backend
 * unreachable from here is reached by the gateway (a firewall or route on this side); another
 * transport error (TLS) says itself what differs; a refusal or
 * a dropped connection means the backend went down during the run. Each time backend_url may also
 * simply not be the gateway's upstream.
 */
function gatewayAnsweredNote(f: VerdictFacts): string {
  if (f.gateway !== 'ok') return '';
  const answered = `; the gateway answered ${gatewaySeen(f)}`;
  switch (f.backend) {
    case 'unresolvable':
      return `${answered}, so the gateway resolves its upstream differently: backend_url's host does not resolve from here (check the name in backend_url and the resolver here: nslookup, /etc/hosts, /etc/resolv.conf), or backend_url does not name the gateway's upstream`;
    case 'unreachable':
      return `${answered}, so the gateway reaches its upstream while this machine does not: a firewall or route between here and the backend, or backend_url does not point where the gateway forwards to`;
    case 'transport-other':
      return `${answered}, so the gateway gets through where this machine does not (the error says why, e.g. TLS), or backend_url does not point where the gateway forwards to`;
    default:
      return `${answered}, so the backend went down during the run, or backend_url does not point where the gateway forwards to`;
  }
}

/** Builds the verdict of `code`: message from the facts; a next step (URLs filled in) unless ok. */
export function explainVerdict(code: RunVerdictCode, facts: VerdictFacts, context: VerdictContext): Verdict<RunVerdictCode> {
  const message = MESSAGES[code](facts);
  if (code === 'ok') return { code, message };
  const next = NEXT_STEPS[code]
    .replaceAll('{backend}', context.backendUrl ?? '<backend_url>')
    .replaceAll('{gateway}', context.gatewayUrl ?? '<gateway_url>');
  return { code, message, next };
}
