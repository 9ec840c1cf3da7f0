import { connect } from 'node:net';
import type { ProbeResult, Route } from '../../model.js';
import { elapsed } from './probe-dns.js';
import { describeTransportError } from '../../facts/transport-error.js';
import { describeFailure, errorCode } from './transport-error.js';

/**
 * Opens one TCP connection to host:port and closes it at once (the guide's `telnet backend 8080`).
 * ok with the time to connect; or ECONNREFUSED (nothing listens), EHOSTUNREACH/ENETUNREACH (no
 * route), ETIMEDOUT when the handshake does not finish within `timeoutMs` (packets dropped by a
 * firewall, or a listener whose accept backlog is full).
 */
export function probeTcp(host: string, port: number, route: Route, options: { timeoutMs: number }): Promise<ProbeResult> {
  const target = `${host}:${port}`;
  const startedMs = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const finish = (result: ProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ kind: 'tcp', target, route, ok: false, timeMs: elapsed(startedMs), error: 'ETIMEDOUT', evidence: `${target}: no TCP handshake within ${options.timeoutMs} ms — ${describeTransportError('ETIMEDOUT')}` });
    }, options.timeoutMs);
    socket.once('connect', () => {
      const timeMs = elapsed(startedMs);
      finish({ kind: 'tcp', target, route, ok: true, timeMs, evidence: `${target} accepted a connection in ${timeMs} ms` });
    });
    socket.once('error', (error) => {
      const code = errorCode(error);
      finish({ kind: 'tcp', target, route, ok: false, timeMs: elapsed(startedMs), error: code, evidence: `${target}: ${describeFailure(code, error.message)}` });
    });
  });
}
