import { readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** The only address the lab ever binds or connects to. */
export const LOOPBACK = '127.0.0.1';

/**
 * Finds a free loopback port by binding 127.0.0.1:0 and closing again. Another process may take it
 * before the caller binds it; callers that hand the port to another program retry on EADDRINUSE.
 */
export async function reserveFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not read the reserved port');
  return address.port;
}

/** Where the kernel hands out ports for port 0 and outgoing connections (Linux's default when unreadable). */
function ephemeralPortRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux, or no /proc: the default range
  }
  return [32768, 60999];
}

/** The lowest port a dead port is drawn from: below it are the well-known and registered services people run. */
const DEAD_PORT_FLOOR = 20_000;

/**
 * A loopback port nothing listens on, and that nothing started with port 0 will take: drawn below
 * the kernel's ephemeral range. reserveFreePort's port is closed again at once, and the kernel may
 * hand it to the next server that asks for port 0 — under parallel tests, another test's server —
 * so a "dead" port would answer. For rehearsing a backend that is down (connection refused).
 */
export async function reserveDeadPort(): Promise<number> {
  const [ephemeralLow] = ephemeralPortRange();
  const ceiling = Math.max(DEAD_PORT_FLOOR + 100, ephemeralLow);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = DEAD_PORT_FLOOR + Math.floor(Math.random() * (ceiling - DEAD_PORT_FLOOR));
    if ((await isPortFree(port)) && !(await canConnect(port, 200))) return port;
  }
  return reserveFreePort();
}

/** True when a TCP connection to 127.0.0.1:port is accepted right now. */
export function canConnect(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when 127.0.0.1:port can be bound right now (nobody listens on it). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

/**
 * Polls until 127.0.0.1:port accepts connections. Resolves false when `gaveUp()` turns true (e.g. the
 * program that should listen has exited) or `timeoutMs` passes.
 */
export async function waitUntilAccepting(
  port: number,
  options: { timeoutMs: number; gaveUp?: () => boolean; intervalMs?: number },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.gaveUp?.()) return false;
    if (await canConnect(port, 500)) return true;
    await sleep(options.intervalMs ?? 20);
  }
  return false;
}

/** Splits `host:port` (also `[::1]:port`); InputError-free: returns null when malformed. */
export function splitHostPort(value: string): { host: string; port: number } | null {
  const match = /^(\[[^\]]+\]|[^:/\s]+):(\d{1,5})$/.exec(value.trim());
  if (!match) return null;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return null;
  return { host: match[1], port };
}
