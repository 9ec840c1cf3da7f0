import { APACHE_LAB } from './apache-lab.js';
import type { GatewayProfile } from './profile.js';

/**
 * Apache httpd's mod_proxy_http. Measured: Apache 2.4.71 (Debian 12) in test/gateways/faults.test.ts;
 * the rest from httpd.apache.org/docs/2.4/mod/mod_proxy.html ("MP") and the 2.4 source.
 */
export const APACHE: GatewayProfile = {
  kind: 'apache',
  name: 'Apache httpd',
  versions: '2.4.71 (Debian 12)',
  recognition: {
    // "Server: Apache/2.4.71 (Debian)" (ServerTokens Full, the default) on its own answers and on
    // proxied ones without a Server header of their own. `Via` only with `ProxyVia On`.
    server: /^Apache(\/[\d.]+)?\b/,
    via: /\(Apache\/[\d.]+/,
    errorBody: /<address>Apache(\/[\d.]+)?[^<]* Server at /,
  },
  logFormats: [
    { name: 'apache-error', kind: 'error', describes: 'ErrorLog: `[proxy:error]` / `[proxy_http:error]` lines with AH… codes (AH00957 refused, AH01102 status line, AH00898 …)', diagnoseReads: 'apache' },
    { name: 'apache-combined', kind: 'access', describes: 'CustomLog in `combined`', diagnoseReads: 'combined' },
  ],
  answers: {
    // AH00957 "attempt to connect … failed", AH01114 "failed to make connection to backend": 503.
    'backend-down': { status: 503, basis: 'measured', note: 'error log: "(111)Connection refused: AH00957" then "AH01114: HTTP: failed to make connection to backend"' },
    'backend-closed-connection': { status: 502, basis: 'measured', note: 'error log: "AH01102: error reading status line from remote server", "AH00898: Error reading from remote server"' },
    // mod_proxy_http.c: a timeout while reading the status line is "Error reading from remote server", HTTP_BAD_GATEWAY.
    'backend-timeout': { status: 502, basis: 'measured', note: 'after ProxyTimeout (whole seconds): "(70007)The timeout specified has expired: AH01102" — a 502, not a 504' },
    'backend-invalid-response': { status: 502, basis: 'measured', note: 'error log: "AH01106: bad HTTP/1.1 header returned by …"' },
    // proxy_util.c ap_proxy_determine_connection: HTTP_INTERNAL_SERVER_ERROR since 2.4.59, HTTP_BAD_GATEWAY before.
    'backend-unresolvable': {
      status: 500,
      basis: 'documented',
      note: 'httpd 2.4.59+ answers 500 with "DNS lookup failure for: <host>" (AH00898); 2.4.58 and older 502. Not measured: Apache asks the system resolver, which the lab cannot point at loopback',
    },
    // MP "acquire": "If there are no free connections in the pool, the Apache httpd will return SERVER_BUSY status".
    'gateway-overflow': { status: 503, basis: 'measured', when: '`max=` is set with `acquire=` (the lab sets it to the gateway timeout); without `acquire` a request waits for a free connection without end', note: 'error log: "AH00941: … failed to acquire connection"' },
  },
  // MP ProxyTimeout: "Default: Value of Timeout"; core Timeout's default is 60 (Debian's apache2.conf sets 300).
  defaultReadTimeoutSec: 60,
  pooling: {
    // MP worker parameters: enablereuse On / disablereuse Off by default, `ttl` unset (idle connections are
    // kept until the backend closes them), `max` = ThreadsPerChild.
    byDefault: true,
    idleTimeoutSec: null,
    how: 'ProxyPass … (reuse is on by default; `disablereuse=On` turns it off, `ttl=S` bounds idle time, `max=` caps the pool; `keepalive=On` is TCP keep-alive only)',
    // Measured: a GET on a pooled connection the backend dropped gets 502 (AH01102) — no retry.
    retriesIdempotent: false,
    retryNote: 'not retried: a request on a pooled connection the backend just closed gets 502 (AH01102), GET or POST; Apache checks that the socket is still connected before reuse, which only narrows the window',
    basis: 'measured',
  },
  words: {
    upstream: 'ProxyPass / ProxyPassReverse',
    readTimeout: 'ProxyTimeout (or ProxyPass timeout=)',
    connectTimeout: 'ProxyPass connectiontimeout=',
    connectionLimit: 'ProxyPass max= (with acquire=)',
    pooling: 'ProxyPass enablereuse= / disablereuse= / ttl=',
    configTest: 'apachectl configtest',
    reload: 'apachectl graceful',
    logs: 'ErrorLog / CustomLog',
  },
  lab: APACHE_LAB,
};
