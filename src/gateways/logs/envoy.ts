import { LOG_FORMAT_LABEL, type CauseCode } from '../../model.js';
import { parseIsoTime, type LineClass, type LogFormatReader } from './line-class.js';

/**
 * Envoy's access log: the default format
 * `[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% …"%UPSTREAM_HOST%"`
 * (found anywhere in the line, so `kubectl logs` prefixes do not hide it), and JSON access logs
 * carrying the same fields (`start_time`, `response_code`, `response_flags`, `upstream_host`).
 */
const TEXT = /\[(\d{4}-\d{2}-\d{2}T[^\]]+)\] "([^"]*)" (\d{1,3}) (\S+) /;
const LAST_QUOTED = /"([^"]*)"\s*$/;

/** %RESPONSE_FLAGS_LONG% names (Envoy ≥ 1.27) → the short flags. */
const LONG_FLAGS: Record<string, string> = {
  NoHealthyUpstream: 'UH', UpstreamConnectionFailure: 'UF', UpstreamOverflow: 'UO', UpstreamRequestTimeout: 'UT',
  UpstreamConnectionTermination: 'UC', UpstreamRemoteReset: 'UR', UpstreamProtocolError: 'UPE', UpstreamRetryLimitExceeded: 'URX',
};

/**
 * Response flags → cause, most specific first (Envoy writes several, e.g. `UF,URX`): UO the gateway's
 * circuit breaker; UH no healthy host; UF connect failed (with or without URX: retries ran out);
 * UT upstream request timeout; UPE malformed answer; UC/UR the upstream closed or reset the connection.
 */
const FLAG_CAUSES: ReadonlyArray<[string, CauseCode]> = [
  ['UO', 'gateway-overflow'], ['UH', 'no-live-upstreams'], ['UF', 'backend-down'], ['UT', 'backend-timeout'],
  ['UPE', 'backend-invalid-response'], ['UC', 'backend-closed-connection'], ['UR', 'backend-closed-connection'],
];

/** The cause of one Envoy entry from its status and flags; `URX` alone on a 503 is the upstream's own 503; a flagless 502 came from the backend. Pure. */
export function classifyEnvoyEntry(status: number, flagsText: string, at: { time?: string; timeMs?: number; method?: string }, upstream?: string): LineClass {
  const when = { ...at, status, answer: true };
  const flags = new Set(flagsText.split(',').map((f) => LONG_FLAGS[f.trim()] ?? f.trim()).filter((f) => f !== '' && f !== '-'));
  const cause = (code: CauseCode): LineClass => ({ kind: 'cause', code, ...when, ...(upstream ? { upstream } : {}) });
  for (const [flag, code] of FLAG_CAUSES) if (flags.has(flag)) return cause(code);
  if (flags.has('URX') && status === 503) return cause('service-unavailable');
  if (status === 502 && flags.size === 0) return cause('backend-sent-502');
  return { kind: 'ok', ...when, ...(flags.size === 0 && upstream ? { fromBackend: true } : {}) };
}

function classifyText(line: string): LineClass {
  const m = TEXT.exec(line);
  if (!m) return { kind: 'unknown' };
  const upstream = LAST_QUOTED.exec(line)?.[1];
  const method = /^([A-Z]+) /.exec(m[2])?.[1];
  return classifyEnvoyEntry(Number(m[3]), m[4], { time: m[1], timeMs: parseIsoTime(m[1]), ...(method ? { method } : {}) }, upstream && upstream !== '-' ? upstream : undefined);
}

const pick = (entry: Record<string, unknown>, keys: readonly string[]) => keys.map((k) => entry[k]).find((v) => v !== undefined && v !== null);

function classifyJson(line: string): LineClass {
  let entry: unknown;
  try { entry = JSON.parse(line); } catch { return { kind: 'unknown' }; }
  if (!entry || typeof entry !== 'object') return { kind: 'unknown' };
  const e = entry as Record<string, unknown>;
  const status = Number(pick(e, ['response_code', 'responseCode', 'status']));
  if (!Number.isFinite(status)) return { kind: 'unknown' };
  const time = pick(e, ['start_time', 'startTime', 'timestamp', '@timestamp']);
  const method = pick(e, ['method', 'request_method', 'requestMethod']);
  const when = { ...(typeof time === 'string' ? { time, timeMs: parseIsoTime(time) } : {}), ...(typeof method === 'string' ? { method } : {}) };
  const upstream = pick(e, ['upstream_host', 'upstreamHost']);
  return classifyEnvoyEntry(status, String(pick(e, ['response_flags', 'responseFlags']) ?? '-'), when, typeof upstream === 'string' && upstream !== '-' ? upstream : undefined);
}

const isJson = (line: string) => line.trimStart().startsWith('{');

export const ENVOY_FORMAT: LogFormatReader = {
  name: 'envoy',
  label: LOG_FORMAT_LABEL.envoy,
  gateway: 'envoy',
  matches: (line) => (isJson(line) ? /"(response_code|responseCode)"\s*:/.test(line) && /"(response_flags|responseFlags)"\s*:/.test(line) : TEXT.test(line)),
  classify: (line) => (isJson(line) ? classifyJson(line) : classifyText(line)),
  shows: {
    'backend-down': 'response flag UF (upstream connection failure)',
    'no-live-upstreams': 'response flag UH (no healthy upstream)',
    'backend-closed-connection': 'response flag UC/UR (upstream connection termination / remote reset)',
    'backend-invalid-response': 'response flag UPE (upstream protocol error)',
    'backend-timeout': 'response flag UT (upstream request timeout)',
    'gateway-overflow': 'response flag UO (circuit breaker overflow)',
    'service-unavailable': '503 with response flag URX (the upstream\'s own 503, retries exhausted)',
    'backend-sent-502': '502 without a response flag (the upstream answered 502)',
  },
};
