/**
 * A bench server in its own process, so the load generator's CPU figures hold only the client.
 * argv[2] is a JSON spec: { kind: 'backend', latencyMs } or { kind: 'builtin', upstream }.
 * It sends { url, port } once listening and answers IPC messages: 'stats' → { stats, cpu },
 * 'close' → closes and exits. It exits on its own when the parent goes away.
 */
import { startLabBackend } from '../../dist/lab/backend.js';
import { startBuiltinProxy } from '../../dist/lab/builtin-proxy.js';

const spec = JSON.parse(process.argv[2] ?? '{}');
const server =
  spec.kind === 'builtin'
    ? await startBuiltinProxy({ upstream: spec.upstream, proxyReadTimeoutMs: 10_000 })
    : await startLabBackend({ latencyMs: spec.latencyMs ?? 0 });

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await server.close().catch(() => {});
  process.exit(0);
};

process.on('message', (message) => {
  if (message === 'stats') process.send({ type: 'stats', stats: server.stats?.() ?? null, cpu: process.cpuUsage() });
  else if (message === 'close') void shutdown();
});
process.on('disconnect', () => void shutdown());
process.send({ type: 'ready', url: server.url, port: server.port });
