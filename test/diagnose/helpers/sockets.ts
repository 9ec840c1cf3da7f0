import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { Worker } from 'node:worker_threads';

export interface Listener { port: number; close(): Promise<void> }

/** A loopback port that nothing listens on, and a raw TCP server: the run room's helpers. */
export { deadPort as closedPort, startRawServer as rawServer } from '../../run/helpers.js';

/**
 * A loopback listener that never accepts: a worker thread listens with backlog 1 and then blocks
 * its own event loop, so the kernel's accept queue fills and further SYNs are dropped — a connect
 * times out exactly as behind a firewall that drops packets. `fill()` occupies the queue first.
 */
export async function blackholeListener(): Promise<Listener> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const server = require('node:net').createServer();
     server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20000), 20);
     });`,
    { eval: true },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  await new Promise((r) => setTimeout(r, 100)); // the worker is blocked from here on
  // Fill the accept queue: connects complete until it is full, then they hang.
  const fillers: Socket[] = [];
  for (let i = 0; i < 16; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 150);
      socket.once('connect', () => { clearTimeout(t); resolve(true); });
    });
    if (!connected) break;
  }
  return {
    port,
    close: async () => {
      for (const s of fillers) s.destroy();
      await worker.terminate();
    },
  };
}

/** A self-signed certificate for `commonName` (and `subjectAltName`, e.g. "IP:127.0.0.1"), valid `days` days; openssl, per test run. */
export function selfSignedCert(commonName: string, days: number, subjectAltName = `DNS:${commonName}`): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'debug502-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', String(days), '-subj', `/CN=${commonName}`, '-addext', `subjectAltName=${subjectAltName}`], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A TLS server on 127.0.0.1:0 with the given certificate; it closes each connection after the handshake. */
export async function tlsServer(credentials: { key: string; cert: string }): Promise<Listener> {
  const server = createTlsServer(credentials, (socket) => socket.end());
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
