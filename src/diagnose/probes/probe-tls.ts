import { isIP } from 'node:net';
import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';
import type { ProbeResult, Route } from '../../model.js';
import { secureContextFor, type ClientTls } from '../../postman/client-tls.js';
import { elapsed } from './probe-dns.js';
import { describeFailure, errorCode } from './transport-error.js';

const DAY_MS = 86_400_000;

export interface TlsProbeOptions {
  timeoutMs: number;
  /** "Now" for the expiry check, in epoch ms (the clock is passed in). */
  nowMs: number;
  /** newman's TLS flags, read: the handshake presents the client certificate and trusts the extra CAs, as the requests do. */
  tls?: ClientTls;
}

/**
 * One TLS handshake with host:port (SNI = host unless it is an IP). ok when the handshake
 * completes, the certificate is inside its validity period and names `host`. An untrusted chain
 * (self-signed, private CA) is reported in the evidence but does not fail the probe: nginx does not
 * verify upstream certificates unless `proxy_ssl_verify on`, so it is no 502 cause by itself.
 */
export function probeTls(host: string, port: number, route: Route, options: TlsProbeOptions): Promise<ProbeResult> {
  const target = `${host}:${port}`;
  const bare = host.replace(/^\[|\]$/g, '');
  const startedMs = performance.now();
  return new Promise((resolve) => {
    const secureContext = secureContextFor(options.tls, `https://${host}:${port}/`);
    const socket = connect({ host: bare, port, rejectUnauthorized: false, ...(isIP(bare) ? {} : { servername: bare }), ...(secureContext ? { secureContext } : {}) });
    const finish = (result: ProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ kind: 'tls', target, route, ok: false, timeMs: elapsed(startedMs), error: 'ETIMEDOUT', evidence: `${target}: no TLS handshake within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    socket.once('secureConnect', () => {
      const timeMs = elapsed(startedMs);
      const cert = socket.getPeerCertificate();
      const verdict = judgeCertificate(bare, cert, options.nowMs);
      const chain = socket.authorized ? 'trusted chain' : `untrusted chain (${String(socket.authorizationError ?? 'unknown')})`;
      const evidence = `${socket.getProtocol() ?? 'TLS'} handshake in ${timeMs} ms; ${verdict.text}; ${chain}`;
      finish({ kind: 'tls', target, route, ok: verdict.ok, timeMs, evidence, ...(verdict.error ? { error: verdict.error } : {}), ...(verdict.daysLeft !== undefined ? { certDaysLeft: verdict.daysLeft } : {}) });
    });
    socket.once('error', (error) => {
      const code = errorCode(error);
      finish({ kind: 'tls', target, route, ok: false, timeMs: elapsed(startedMs), error: code, evidence: `${target}: handshake failed: ${describeFailure(code, error.message)}` });
    });
  });
}

/** Expiry and hostname verdict for one certificate. Pure. */
export function judgeCertificate(host: string, cert: PeerCertificate, nowMs: number): { ok: boolean; text: string; daysLeft?: number; error?: string } {
  if (!cert || !cert.valid_to) return { ok: false, text: 'no certificate presented', error: 'NO_CERTIFICATE' };
  const notAfterMs = Date.parse(cert.valid_to);
  const notBeforeMs = Date.parse(cert.valid_from);
  const daysLeft = Math.floor((notAfterMs - nowMs) / DAY_MS);
  const name = cert.subject?.CN ? `CN=${cert.subject.CN}` : 'certificate';
  const identityError = checkServerIdentity(host, cert);
  const parts = [`${name} expires ${new Date(notAfterMs).toISOString().slice(0, 10)} (${daysLeft} days left)`];
  parts.push(identityError ? `does not name ${host}` : `names ${host}`);
  if (notAfterMs <= nowMs) return { ok: false, text: parts.join(', '), daysLeft, error: 'CERT_HAS_EXPIRED' };
  if (notBeforeMs > nowMs) return { ok: false, text: parts.join(', ') + ', not valid yet', daysLeft, error: 'CERT_NOT_YET_VALID' };
  if (identityError) return { ok: false, text: parts.join(', '), daysLeft, error: 'ERR_TLS_CERT_ALTNAME_INVALID' };
  return { ok: true, text: parts.join(', '), daysLeft };
}
