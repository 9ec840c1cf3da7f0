import { NGINX_LAB } from './nginx-lab.js';
import type { GatewayProfile } from './profile.js';

/**
 * nginx as a reverse proxy (ngx_http_proxy_module). Measured: nginx 1.22.1 (Debian 12, nginx-light)
 * in test/gateways/faults.test.ts and test/lab/gateway-faults.test.ts; the keep-alive race and its
 * retry in test/lab/keepalive-race.test.ts.
 */
export const NGINX: GatewayProfile = {
  kind: 'nginx',
  name: 'nginx',
  versions: '1.22.1 (Debian 12)',
  recognition: {
    // `server_tokens on` (the default) sends "nginx/1.22.1", `off` "nginx"; nginx drops the upstream's
    // own Server header (proxy_hide_header's defaults), so every answer carries it.
    server: /^nginx(\/[\d.]+)?\b/i,
    // Its error pages end in "<hr><center>nginx/1.22.1</center>".
    errorBody: /<center>nginx(\/[\d.]+)?<\/center>/i,
  },
  logFormats: [
    { name: 'nginx-error', kind: 'error', describes: 'error log (`error_log`): one line per failed upstream attempt', diagnoseReads: 'nginx' },
    { name: 'nginx-combined', kind: 'access', describes: 'access log in `combined`, optionally followed by `$upstream_status` / `$upstream_response_time` fields', diagnoseReads: 'combined' },
  ],
  answers: {
    'backend-down': { status: 502, basis: 'measured', note: 'error log: "connect() failed (111: Connection refused) while connecting to upstream"' },
    'backend-closed-connection': { status: 502, basis: 'measured', note: 'error log: "upstream prematurely closed connection while reading response header from upstream"' },
    'backend-timeout': { status: 504, basis: 'measured', note: 'after proxy_read_timeout; error log: "upstream timed out (110: Connection timed out)"' },
    'backend-invalid-response': { status: 502, basis: 'measured', note: 'error log: "upstream sent invalid header"' },
    'backend-unresolvable': {
      status: 502,
      basis: 'measured',
      note: 'a name in an upstream block that does not resolve stops nginx from starting ("host not found in upstream"); resolved per request (a variable and `resolver`), it answers 502 and logs "could not be resolved (3: Host not found)"',
    },
    'gateway-overflow': { status: 502, basis: 'measured', when: 'max_conns is set on the upstream server', note: 'at once, no queue (open-source nginx); error log: "no live upstreams"' },
  },
  // proxy_read_timeout's default (nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout).
  defaultReadTimeoutSec: 60,
  pooling: {
    // Without `keepalive N` in the upstream block nginx opens a connection per request
    // (nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive); with it, idle connections are
    // kept `keepalive_timeout` (default 60s, 1.15.3+).
    byDefault: false,
    idleTimeoutSec: null,
    how: '`keepalive N` in the upstream block (with `proxy_http_version 1.1` and `proxy_set_header Connection ""`); idle ones are closed after `keepalive_timeout` (60s)',
    // proxy_next_upstream's default `error timeout`: an attempt that fails on a cached keep-alive
    // connection is passed on — with one server, to a fresh connection; "requests with a
    // non-idempotent method (POST, LOCK, PATCH) are not passed to the next server if a request has
    // been sent" (1.9.13+). Measured in test/lab/keepalive-race.test.ts.
    retriesIdempotent: true,
    retryNote: 'proxy_next_upstream error timeout (the default) retries a failed attempt on a fresh connection — never POST, LOCK or PATCH once sent; the error log still shows every failed attempt',
    neverRetried: ['POST', 'LOCK', 'PATCH'],
    basis: 'measured',
  },
  words: {
    upstream: 'upstream { server … } / proxy_pass',
    readTimeout: 'proxy_read_timeout',
    connectTimeout: 'proxy_connect_timeout',
    connectionLimit: 'max_conns',
    pooling: 'keepalive (upstream block)',
    retry: 'proxy_next_upstream',
    configTest: 'nginx -t',
    reload: 'nginx -s reload',
    logs: 'error_log / access_log',
  },
  lab: NGINX_LAB,
};
