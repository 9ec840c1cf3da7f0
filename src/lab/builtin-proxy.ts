import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Agent, createServer, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { describeUpstreamError, formatNginxErrorLine, type UpstreamFailure } from './error-log.js';
import { resolveGatewayOptions, type GatewayOptions, type RunningGateway } from './gateway.js';
import { LOOPBACK } from './ports.js';

/** Headers that belong to one hop and are never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-authenticate', 'proxy-authorization']);
const STATUS_TEXT: Record<502 | 504, string> = { 502: 'Bad Gateway', 504: 'Gateway Time-out' };

/**
 * A Node reverse proxy that behaves like the lab's nginx for the guide's cases, for machines
 * without nginx: one fresh upstream connection per request (nginx without `keepalive`), or a pool of
 * `keepalive` idle ones reused (nginx with it, retrying as nginx does: see proxy); 502 on a
 * refused, reset, early-closed or malformed upstream answer and on a name that does not resolve;
 * 504 when connecting or the response header takes longer than the timeouts; 502 "no live
 * upstreams" when `maxConns` upstream requests are already in flight (nginx `max_conns` with one
 * server). Each failure is logged as nginx would log it, to `errorLogPath` in a temp dir.
 * `maxFails`/`failTimeoutSec` are accepted and ignored, as nginx ignores them with one server.
 */
export async function startBuiltinProxy(options: GatewayOptions): Promise<RunningGateway> {
  const o = resolveGatewayOptions(options);
  const dir = mkdtempSync(join(tmpdir(), 'debug502-gateway-'));
  const errorLogPath = join(dir, 'error.log');
  const logFd = openSync(errorLogPath, 'a');
  const upstreamHostPort = `${o.upstreamHost}:${o.upstreamPort}`;
  const upstreams = new Set<ClientRequest>();
  const connectionIds = new WeakMap<Socket, number>();
  let connections = 0;
  let listenPort = o.port;
  // nginx's `keepalive N`: idle upstream connections kept for reuse. nginx ignores the backend's
  // Keep-Alive hint, so the pool keeps a socket until the backend closes it (Node's agent would drop
  // it a second before the hint).
  const keepalive = o.keepalive ?? 0;
  const pool = keepalive > 0 ? new Agent({ keepAlive: true, maxFreeSockets: keepalive }) : undefined;
  if (pool) pool.keepSocketAlive = () => true;

  const log = (req: IncomingMessage, failure: Pick<UpstreamFailure, 'message' | 'hasUpstream'>, upstreamName = `http://${upstreamHostPort}`) => {
    const line = formatNginxErrorLine({
      time: new Date(),
      pid: process.pid,
      connection: connectionIds.get(req.socket) ?? 0,
      message: failure.message,
      client: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? LOOPBACK,
      server: 'lab',
      request: `${req.method} ${req.url} HTTP/${req.httpVersion}`,
      upstream: failure.hasUpstream ? `${upstreamName}${req.url}` : undefined,
      host: req.headers.host,
    });
    // Synchronous like nginx's own log writes: a test that just got its 502 finds the line.
    writeSync(logFd, line);
  };

  const server = createServer((req, res) => {
    if (o.maxConns !== undefined && upstreams.size >= o.maxConns) {
      log(req, { message: 'no live upstreams while connecting to upstream', hasUpstream: true }, 'http://lab_backend');
      return answerError(res, 502);
    }
    proxy(req, res);
  });
  server.on('connection', (socket: Socket) => void connectionIds.set(socket, ++connections));

  /**
   * Forwards one request; `attempt` counts tries. Like nginx's default `proxy_next_upstream error
   * timeout` with one server: an attempt that fails on a reused pooled connection before any answer
   * is logged and tried again (the pool hands out another idle connection or opens a new one, which
   * it keeps) — for idempotent methods without a body (nginx also replays buffered bodies; this proxy
   * streams them, so it does not), at most once per pooled connection plus one.
   */
  function proxy(req: IncomingMessage, res: ServerResponse, attempt = 1): void {
    let phase: 'connecting' | 'header' | 'body' = 'connecting';
    let settled = false;
    const upstream = httpRequest({
      host: o.upstreamHost,
      port: o.upstreamPort,
      family: 4,
      method: req.method,
      path: req.url,
      headers: forwardableHeaders(req.headers),
      agent: pool ?? false,
    });
    upstreams.add(upstream);
    const connectTimer = setTimeout(() => fail(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })), o.proxyConnectTimeoutMs);
    const fail = (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      const failure = describeUpstreamError(error, phase, o.upstreamHost);
      log(req, failure);
      upstream.destroy();
      upstreams.delete(upstream);
      const retry = upstream.reusedSocket && phase !== 'body' && !res.headersSent && o.nextUpstream !== 'off' && attempt <= keepalive && isRetryable(req);
      if (retry) return proxy(req, res, attempt + 1);
      if (phase === 'body' || res.headersSent) res.destroy();
      else answerError(res, failure.status);
    };
    upstream.once('socket', (socket: Socket) => {
      const connected = () => {
        clearTimeout(connectTimer);
        phase = 'header';
      };
      // A pooled socket is connected already: no 'connect' event will come.
      if (!socket.connecting && !socket.destroyed && socket.remoteAddress) connected();
      else socket.once('connect', connected);
    });
    // An idle timer between reads, like proxy_read_timeout; Node arms it once connected.
    upstream.setTimeout(o.proxyReadTimeoutMs, () => fail(Object.assign(new Error('read timed out'), { code: 'ETIMEDOUT' })));
    upstream.on('error', fail);
    upstream.once('response', (answer: IncomingMessage) => {
      phase = 'body';
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardableHeaders(answer.headers));
      answer.once('end', () => {
        settled = true;
        upstreams.delete(upstream);
      });
      answer.pipe(res);
      answer.once('aborted', () => fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
      answer.once('error', fail);
    });
    // A client that goes away takes its upstream request with it, as nginx does.
    res.once('close', () => {
      if (!res.writableFinished && !settled) {
        settled = true;
        clearTimeout(connectTimer);
        upstream.destroy();
        upstreams.delete(upstream);
      }
    });
    // A retry has no body to send (see isRetryable): the client's stream was read by the first attempt.
    if (attempt > 1) upstream.end();
    else req.pipe(upstream);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new RuntimeError(`gateway port ${o.port} is in use`, 'pick another --gateway-port or leave it out') : error),
    );
    server.listen(o.port, LOOPBACK, () => resolve());
  });
  const address = server.address();
  if (address && typeof address === 'object') listenPort = address.port;

  let closing: Promise<void> | undefined;
  return {
    kind: 'builtin',
    url: `http://${LOOPBACK}:${listenPort}`,
    port: listenPort,
    errorLogPath,
    logs: [{ label: 'error_log', file: 'error.log', format: 'nginx-error', path: errorLogPath }],
    summary: [],
    notes: [],
    close: () =>
      (closing ??= (async () => {
        for (const upstream of upstreams) upstream.destroy();
        upstreams.clear();
        pool?.destroy();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        closeSync(logFd);
        if (!o.keepFiles) await rm(dir, { recursive: true, force: true });
      })()),
  };
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** nginx never retries POST, LOCK or PATCH; this proxy also only retries requests without a body (see proxy). */
function isRetryable(req: IncomingMessage): boolean {
  const bodyless = req.headers['transfer-encoding'] === undefined && (req.headers['content-length'] ?? '0') === '0';
  return IDEMPOTENT.has(req.method ?? 'GET') && bodyless;
}

function forwardableHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/** nginx's own error page, with the built-in gateway named where nginx prints "nginx". */
function answerError(res: ServerResponse, status: 502 | 504): void {
  if (res.headersSent) return void res.destroy();
  const title = `${status} ${STATUS_TEXT[status]}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>debug502 built-in gateway</center>\r\n</body>\r\n</html>\r\n`;
  res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body), Server: 'debug502-builtin' });
  res.end(body);
}
