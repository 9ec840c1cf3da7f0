import type { GatewayProfile } from './profile.js';
import { VARNISH_LAB } from './varnish-lab.js';

/**
 * Varnish Cache in front of one backend. Measured: Varnish 7.1.1 (Debian 12) in
 * test/gateways/faults.test.ts; the rest from varnish-cache.org/docs/7.1 and the 7.1 source.
 */
export const VARNISH: GatewayProfile = {
  kind: 'varnish',
  name: 'Varnish',
  versions: '7.1.1 (Debian 12)',
  recognition: {
    // Every answer: "Via: 1.1 varnish (Varnish/7.1)" and "X-Varnish: <xid>"; its own (synthetic) answers "Server: Varnish".
    via: /\bvarnish\b/i,
    server: /^Varnish\b/,
    headers: [{ name: 'x-varnish', value: /^\d+( \d+)?$/ }],
    errorBody: /Guru Meditation/,
  },
  logFormats: [
    { name: 'varnishncsa', kind: 'access', describes: 'varnishncsa: NCSA combined lines, one per client request (the absolute URL tells them from a web server\'s)', diagnoseReads: 'varnishncsa' },
    { name: 'varnishlog', kind: 'runtime', describes: '`varnishlog -g request`: the transaction records, with FetchError words ("backend … : fail errno 111", "first byte timeout", "http format error", "HTC eof", "busy")', diagnoseReads: 'varnishlog' },
  ],
  answers: {
    // Every failed backend fetch ends in vcl_backend_error's synthetic "503 Backend fetch failed".
    'backend-down': { status: 503, basis: 'measured', note: 'FetchError "backend lab: fail errno 111 (Connection refused)"' },
    'backend-closed-connection': { status: 503, basis: 'measured', note: 'FetchError "HTC eof (-1)"' },
    'backend-timeout': { status: 503, basis: 'measured', note: 'after .first_byte_timeout: FetchError "first byte timeout" — a 503, not a 504' },
    'backend-invalid-response': { status: 503, basis: 'measured', note: 'FetchError "http format error"' },
    // vcl-backend.rst: .host must resolve (at most one IPv4 and one IPv6 address) when the VCL is compiled.
    'backend-unresolvable': { status: null, basis: 'documented', note: 'a backend .host is resolved when the VCL is compiled: a name that does not resolve stops the VCL from loading ("could not be resolved to an IP address"), so nothing is answered' },
    // cache_backend.c vbe_dir_getfd: at .max_connections the fetch fails at once ("backend … : busy"). The count is
    // checked without the lock and raised only once connected, so requests arriving together can pass it.
    'gateway-overflow': {
      status: 503,
      basis: 'measured',
      when: '`.max_connections` is set on the backend',
      note: 'at once, no queue: FetchError "backend lab: busy"; the cap is loose — requests arriving together can all pass it (measured: 2 of 3 at once with .max_connections 1, 1 run in 6)',
    },
  },
  // params.h: first_byte_timeout 60 s.
  defaultReadTimeoutSec: 60,
  pooling: {
    // params.h backend_idle_timeout: 60 s, "Timeout before we close unused backend connections".
    byDefault: true,
    idleTimeoutSec: 60,
    how: 'always pools; idle backend connections are closed after `backend_idle_timeout` (60 s); `Connection: close` on the backend request turns it off',
    // cache_backend.c vbe_dir_gethdrs: "If we recycled a backend connection, there is a finite chance that
    // the backend closed it before we got the bereq to it. In that case do a single automatic retry if
    // req.body allows" — any method without a body (or with a cached one); a streamed POST body is not retried.
    retriesIdempotent: true,
    retryNote: 'a request that fails on a recycled connection is retried once on a fresh one — any method whose body can be sent again (none, or cached); a POST with a streamed body gets 503',
    neverRetried: ['POST', 'PUT', 'PATCH'],
    basis: 'measured',
  },
  words: {
    upstream: 'backend { .host; .port }',
    readTimeout: '.first_byte_timeout (and .between_bytes_timeout)',
    connectTimeout: '.connect_timeout',
    connectionLimit: '.max_connections',
    pooling: 'backend_idle_timeout',
    configTest: 'varnishd -C -f default.vcl',
    reload: 'varnishreload',
    logs: 'varnishncsa / varnishlog',
  },
  lab: VARNISH_LAB,
};
