import { HAPROXY_LAB } from './haproxy-lab.js';
import type { GatewayProfile } from './profile.js';

/**
 * HAProxy in HTTP mode. Measured: HAProxy 2.6.12 (Debian 12) in test/gateways/faults.test.ts; the
 * rest from the 2.6 configuration manual (docs.haproxy.org/2.6/configuration.html, "CM" below).
 */
export const HAPROXY: GatewayProfile = {
  kind: 'haproxy',
  name: 'HAProxy',
  versions: '2.6.12 (Debian 12)',
  recognition: {
    // HAProxy adds no Server or Via header; its own error pages are the built-in ones of src/http.c.
    errorBody: /No server is available to handle this request\.|The server returned an invalid or incomplete response\.|The server didn't respond in time\./,
    note: 'HAProxy sends no Server or Via header by default: only its own error pages (503/502/504 bodies) give it away',
  },
  logFormats: [
    { name: 'haproxy-httplog', kind: 'access', describes: '`option httplog`, raw on stdout or through syslog (one line per request, with a termination state)', diagnoseReads: 'haproxy' },
  ],
  answers: {
    // CM "retries": 3 by default, each after min(timeout connect, 1 s); then 503, termination state SC.
    'backend-down': { status: 503, basis: 'measured', note: 'after 3 connect retries, 1 s apart (`retries 3`); log: termination state SC' },
    'backend-closed-connection': { status: 502, basis: 'measured', note: 'log: termination state SH' },
    'backend-timeout': { status: 504, basis: 'measured', note: 'after `timeout server`; log: termination state sH' },
    'backend-invalid-response': { status: 502, basis: 'measured', note: 'log: termination state PH' },
    'backend-unresolvable': {
      status: 503,
      basis: 'measured',
      when: 'the server may start without an address (`init-addr none` with a `resolvers` section)',
      note: 'no address, no server: "<NOSRV>", termination state SC; by default an unresolvable name stops HAProxy from starting',
    },
    // CM "timeout queue": beyond `maxconn` requests queue; after `timeout queue` (default: `timeout connect`) 503.
    'gateway-overflow': { status: 503, basis: 'measured', when: '`maxconn` is set on the server', note: 'requests beyond it queue, and get 503 after `timeout queue`; log: termination state sQ' },
  },
  // CM "timeout server": no default; HAProxy warns when it is missing and then waits without end.
  defaultReadTimeoutSec: null,
  pooling: {
    // CM "http-reuse": "safe" is the default — idle server connections are pooled, a client
    // connection's first request is always sent on a connection of its own. CM "pool-purge-delay":
    // every 5 s half of the idle connections are closed, so no fixed idle timeout.
    byDefault: true,
    idleTimeoutSec: null,
    how: '`http-reuse safe` (default) / `always` / `never`, `pool-max-conn`; idle connections are purged by half every `pool-purge-delay` (5 s)',
    // CM "retry-on": the default `conn-failure` retries only a connection that could not be made; a
    // request sent on a pooled connection the server closed is not retried. Measured with `http-reuse always`.
    retriesIdempotent: false,
    retryNote: 'not retried: `retry-on conn-failure` (the default) covers only connects that fail, so a request on a pooled connection the backend dropped gets 502 (SH) — measured with `http-reuse always`; with `safe` (the default) a client connection\'s first request always gets a connection of its own, so only its later requests can meet it (not measured); its log may show no line for a request that failed on a client connection it had kept alive (seen in issue 26\'s ramp through HAProxy: 617 lines for 720 requests)',
    basis: 'measured',
  },
  words: {
    upstream: 'backend … server',
    readTimeout: 'timeout server',
    connectTimeout: 'timeout connect',
    connectionLimit: 'maxconn (server)',
    pooling: 'http-reuse / pool-max-conn',
    retry: 'retries / retry-on',
    configTest: 'haproxy -c -f haproxy.cfg',
    reload: 'systemctl reload haproxy (or the master CLI: reload)',
    logs: 'log / option httplog',
  },
  lab: HAPROXY_LAB,
};
