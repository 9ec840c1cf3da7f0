import { formatNginxTime } from '../diagnose/log/since.js';

/** One line of an nginx error log, as nginx writes it for a proxied request. */
export interface NginxErrorEntry {
  time: Date;
  level?: 'error' | 'warn' | 'crit';
  pid: number;
  /** nginx's connection number, printed as `*N`. */
  connection: number;
  /** e.g. `connect() failed (111: Connection refused) while connecting to upstream`. */
  message: string;
  client: string;
  server: string;
  /** The request line, e.g. `GET /api/users HTTP/1.1`. */
  request: string;
  /** `http://127.0.0.1:3000/api/users`; absent when there was none (DNS failure). */
  upstream?: string;
  host?: string;
}

/**
 * Formats an entry exactly like nginx (local time, `[error] PID#TID: *CONN message, client: …`), so
 * that diagnose reads the built-in gateway's log with the same parser as a real nginx log.
 */
export function formatNginxErrorLine(entry: NginxErrorEntry): string {
  const parts = [
    `${formatNginxTime(entry.time)} [${entry.level ?? 'error'}] ${entry.pid}#${entry.pid}: *${entry.connection} ${entry.message}`,
    `client: ${entry.client}`,
    `server: ${entry.server}`,
    `request: "${escapeLogText(entry.request)}"`,
  ];
  if (entry.upstream !== undefined) parts.push(`upstream: "${escapeLogText(entry.upstream)}"`);
  if (entry.host !== undefined) parts.push(`host: "${escapeLogText(entry.host)}"`);
  return parts.join(', ') + '\n';
}

/** nginx escapes quotes, backslashes and control bytes as \xHH in logged strings. */
function escapeLogText(text: string): string {
  return text.replace(/["\\\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

/** Why the gateway gave up on the upstream, in nginx's words, with the status it answers. */
export interface UpstreamFailure {
  status: 502 | 504;
  message: string;
  /** False for DNS failures: nginx logs no `upstream:` then. */
  hasUpstream: boolean;
}

/**
 * Maps a Node upstream error to what nginx answers and logs for the same event.
 * `phase` says whether the response header had been received (then nginx says "reading upstream").
 */
export function describeUpstreamError(
  error: NodeJS.ErrnoException & { reason?: string },
  phase: 'connecting' | 'header' | 'body',
  upstreamHost: string,
): UpstreamFailure {
  const where = phase === 'connecting' ? 'while connecting to upstream' : phase === 'header' ? 'while reading response header from upstream' : 'while reading upstream';
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || error.syscall === 'getaddrinfo') {
    return { status: 502, message: `${upstreamHost} could not be resolved (3: Host not found)`, hasUpstream: false };
  }
  if (code === 'ECONNREFUSED') return { status: 502, message: `connect() failed (111: Connection refused) ${where}`, hasUpstream: true };
  if (code.startsWith('HPE_')) return { status: 502, message: `upstream sent invalid header ${where}`, hasUpstream: true };
  // Node reports a close before any response as "socket hang up" (ECONNRESET without a syscall);
  // a real reset comes from read().
  if (code === 'ECONNRESET' && error.syscall === 'read') {
    return { status: 502, message: `recv() failed (104: Connection reset by peer) ${where}`, hasUpstream: true };
  }
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || error.message === 'aborted') {
    return { status: 502, message: `upstream prematurely closed connection ${where}`, hasUpstream: true };
  }
  if (code === 'ETIMEDOUT') return { status: 504, message: `upstream timed out (110: Connection timed out) ${where}`, hasUpstream: true };
  const errno = typeof error.errno === 'number' ? Math.abs(error.errno) : 0;
  return { status: 502, message: `connect() failed (${errno}: ${code || error.message}) ${where}`, hasUpstream: true };
}
