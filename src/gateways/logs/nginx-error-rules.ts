import type { CauseCode } from '../../model.js';

/**
 * One row of the nginx error-log rule table: a line whose message contains any of `anyOf`
 * (and, when given, also `requires`) is caused by `code`. Rows are tried in order and the first
 * match wins, so the more specific rows come first (a resolver's "(111: Connection refused)" is
 * DNS, not a refused backend; "could not be resolved (110: …)" is DNS, not a timeout).
 */
export interface LogRule {
  code: CauseCode;
  anyOf: readonly string[];
  /** A second substring the line must hold too, e.g. "upstream" to tell backend from client resets. */
  requires?: string;
  /** What the message means, from the guide. */
  meaning: string;
}

export const LOG_RULES: readonly LogRule[] = [
  {
    code: 'backend-unresolvable',
    anyOf: [' could not be resolved', 'host not found in upstream', ' while resolving'],
    meaning: 'the gateway cannot resolve the backend host name (DNS)',
  },
  {
    code: 'tls-problem',
    anyOf: ['SSL_do_handshake() failed', 'SSL certificate verify error', 'upstream SSL certificate', 'SSL_read() failed', 'SSL_write() failed', 'while SSL handshaking to upstream'],
    meaning: 'the TLS handshake with the backend failed (certificate, protocol or cipher)',
  },
  {
    code: 'no-live-upstreams',
    anyOf: ['no live upstreams'],
    meaning: 'every upstream server is marked failed (max_fails / fail_timeout)',
  },
  {
    code: 'backend-closed-connection',
    anyOf: ['upstream prematurely closed'],
    meaning: 'the backend closed the connection before a full response (crash mid-request or keep-alive mismatch)',
  },
  {
    code: 'gateway-misconfigured',
    anyOf: ['upstream sent too big header', 'no resolver defined', '(13: Permission denied) while connecting to upstream', 'invalid port in upstream', 'no port in upstream', 'invalid URL prefix'],
    meaning: 'a gateway setting is wrong (buffer size, resolver, upstream syntax or permissions)',
  },
  {
    // After "too big header": that one is a gateway buffer setting; every other "upstream sent …"
    // (invalid header/status/chunk, no valid HTTP, duplicate or conflicting headers, …) is a bad answer.
    code: 'backend-invalid-response',
    anyOf: ['upstream sent '],
    meaning: 'the backend answered with a malformed status line or header',
  },
  {
    code: 'backend-down',
    // A missing unix socket (php-fpm, gunicorn) is the same: the backend is not running.
    anyOf: ['(111: Connection refused)', '(2: No such file or directory) while connecting to upstream'],
    meaning: 'nothing listens at the upstream address (backend down or wrong port)',
  },
  {
    code: 'backend-unreachable',
    // By errno, not by wording: 113 reads "No route to host" on Linux, "Host is unreachable" elsewhere.
    anyOf: ['(113: ', '(101: ', '(112: '],
    meaning: 'the network between gateway and backend does not route (firewall, route, host off)',
  },
  {
    code: 'backend-timeout',
    anyOf: ['upstream timed out', '(110: Connection timed out)'],
    meaning: 'the backend did not answer within the gateway timeout (too slow or timeout too tight)',
  },
  {
    // limit_req / limit_conn: nginx rejects the request itself, with 503 unless limit_req_status says otherwise.
    code: 'service-unavailable',
    anyOf: ['limiting requests, excess', 'limiting connections by zone'],
    meaning: 'the gateway rejects requests over its rate or connection limit (limit_req / limit_conn, 503 by default)',
  },
  {
    // Client resets ("while sending to client") are no 502 cause: only resets on the upstream side count.
    code: 'connection-reset',
    anyOf: ['(104: Connection reset by peer)'],
    requires: 'upstream',
    meaning: 'the backend reset the connection (crash, overload or a firewall reset)',
  },
];

/** The first rule of `rules` that matches `message`, or undefined. Pure. */
export function matchLogRule(message: string, rules: readonly LogRule[] = LOG_RULES): LogRule | undefined {
  for (const rule of rules) {
    if (rule.requires !== undefined && !message.includes(rule.requires)) continue;
    for (const needle of rule.anyOf) if (message.includes(needle)) return rule;
  }
  return undefined;
}
