/**
 * Section 2, gateway overhead: autocannon straight to the lab backend, through real nginx (the lab's
 * own config) and through the built-in proxy. Same backend, same client, same connections.
 */
import { findNginx, startNginx } from '../../dist/lab/nginx.js';
import { num, printHeading, printRatio, printTable } from '../lib/format.mjs';
import { BENCH_PATH, runAutocannon, serverCpuPercent } from '../lib/load.mjs';
import { groupCpuMs } from '../lib/proc-cpu.mjs';
import { registerCleanup, startServer, withServer } from '../lib/servers.mjs';

const CONNECTIONS = 16;
const SECONDS = 3;
const WARMUP_SECONDS = 0.5;

/** autocannon against `url` after a short warm-up, with the backend's and the gateway's CPU %. */
async function measure(url, backend, gatewayCpuMs) {
  await runAutocannon(url + BENCH_PATH, { connections: CONNECTIONS, durationSec: WARMUP_SECONDS });
  const before = await backend.stats();
  const gatewayBefore = await gatewayCpuMs();
  const t0 = performance.now();
  const figures = await runAutocannon(url + BENCH_PATH, { connections: CONNECTIONS, durationSec: SECONDS });
  const wallMs = performance.now() - t0;
  const gatewayAfter = await gatewayCpuMs();
  const after = await backend.stats();
  return {
    ...figures,
    backendCpuPercent: serverCpuPercent(before, after, wallMs),
    gatewayCpuPercent: gatewayBefore === null || gatewayAfter === null ? null : ((gatewayAfter - gatewayBefore) / wallMs) * 100,
  };
}

export async function runGatewaySection() {
  printHeading(`2. Gateway overhead: autocannon (${CONNECTIONS} connections, ${SECONDS} s) direct vs nginx vs built-in proxy`);
  return withServer({ kind: 'backend', latencyMs: 0 }, async (backend) => {
    const upstream = `127.0.0.1:${backend.port}`;
    const rows = [];
    const direct = await measure(backend.url, backend, async () => null);
    rows.push(['direct to backend', direct]);

    let nginx = null;
    const nginxBinary = findNginx();
    if (!nginxBinary) {
      console.log('  nginx: skipped — not installed (no nginx on PATH, NGINX_BIN unset); apt-get install -y nginx-light');
    } else {
      const gateway = await startNginx({ upstream, nginxBinary, proxyReadTimeoutMs: 10_000 });
      const unregister = registerCleanup(() => gateway.close());
      try {
        nginx = await measure(gateway.url, backend, async () => (gateway.pid ? groupCpuMs(gateway.pid) : null));
        rows.push(['through nginx', nginx]);
      } finally {
        unregister();
        await gateway.close();
      }
    }

    const proxy = await startServer({ kind: 'builtin', upstream });
    let builtin;
    try {
      builtin = await measure(proxy.url, backend, async () => (await proxy.stats()).cpuMicros / 1000);
      rows.push(['through built-in proxy', builtin]);
    } finally {
      await proxy.close();
    }

    printTable(
      ['route', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'client CPU %', 'gateway CPU %', 'backend CPU %', 'errors/non-2xx'],
      rows.map(([name, f]) => [name, num(f.requests), num(f.rps), num(f.p50Ms), num(f.p99Ms), num(f.clientCpuPercent), f.gatewayCpuPercent === null ? '–' : num(f.gatewayCpuPercent), num(f.backendCpuPercent), f.errors + f.non2xx]),
    );
    console.log('  Both gateways open a new upstream connection per request (no upstream keepalive), as the lab means to.');
    const ratios = [];
    if (nginx) {
      printRatio('nginx / direct req/s', nginx.rps / direct.rps, 'share of direct throughput left through nginx');
      printRatio('nginx / direct p99', nginx.p99Ms / Math.max(direct.p99Ms, 1), 'tail latency added by nginx (direct p99 floored at 1 ms)');
      ratios.push({ name: 'nginx / direct req/s', value: nginx.rps / direct.rps, meaning: 'throughput left through real nginx (per-request upstream connection)' });
    } else {
      ratios.push({ name: 'nginx / direct req/s', value: null, meaning: 'skipped: nginx not installed' });
    }
    printRatio('built-in / direct req/s', builtin.rps / direct.rps, 'share of direct throughput left through the built-in proxy');
    printRatio('built-in / direct p99', builtin.p99Ms / Math.max(direct.p99Ms, 1), 'tail latency added by the built-in proxy');
    ratios.push({ name: 'built-in proxy / direct req/s', value: builtin.rps / direct.rps, meaning: 'throughput left through the Node proxy' });
    if (nginx) {
      printRatio('built-in / nginx req/s', builtin.rps / nginx.rps, 'the built-in proxy against real nginx');
      ratios.push({ name: 'built-in proxy / nginx req/s', value: builtin.rps / nginx.rps, meaning: 'the fallback gateway against real nginx' });
    }
    return ratios;
  });
}
