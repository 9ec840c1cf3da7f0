#!/usr/bin/env node
/**
 * `node bench/ab.mjs OLD_DIST [NEW_DIST] [--c 16] [--requests 30000] [--rounds 6] [--autocannon]`:
 * the fast engine of two builds, A/B, against nginx answering `return 200` itself. Both builds are
 * loaded into one process, warmed with three steps each, then stepped in turns (the order flips
 * every round) and compared by their medians — on a shared machine whose speed moves by ±20 %
 * between minutes, only steps interleaved like this tell a change from the noise.
 * OLD_DIST is another checkout's dist/ (e.g. `git worktree add /tmp/old HEAD~1`, link its
 * node_modules, `npx tsc -p tsconfig.build.json` there); NEW_DIST defaults to this checkout's dist/.
 * Needs nginx. Everything listens on 127.0.0.1 and is stopped at the end.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { num, printTable } from './lib/format.mjs';
import { BENCH_COLLECTION, RAMP_OPTIONS, runAutocannon } from './lib/load.mjs';
import { startNginxReturn200 } from './lib/nginx-fast.mjs';
import { stopAllServers } from './lib/servers.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { c: { type: 'string', default: '16' }, requests: { type: 'string', default: '30000' }, rounds: { type: 'string', default: '6' }, autocannon: { type: 'boolean', default: false } },
});
if (positionals.length < 1) {
  console.error('usage: node bench/ab.mjs OLD_DIST [NEW_DIST] [--c 16] [--requests 30000] [--rounds 6] [--autocannon]');
  process.exit(2);
}
const concurrency = Number(values.c);
const requests = Number(values.requests);
const rounds = Number(values.rounds);
const builds = { old: positionals[0], new: positionals[1] ?? new URL('../dist', import.meta.url).pathname };

const loaded = {};
for (const [name, dir] of Object.entries(builds)) {
  const at = (file) => pathToFileURL(resolve(dir, file)).href;
  loaded[name] = { ramp: await import(at('ramp/index.js')), engines: await import(at('engines/engine.js')) };
}
const target = await startNginxReturn200();
if (!target) {
  console.error('bench/ab: nginx is not installed; the A/B needs a target faster than the client');
  process.exit(1);
}

/** One fast-engine step of build `name`: its req/s and client CPU ms a request. */
async function step(name) {
  const { ramp, engines } = loaded[name];
  const cpu = process.cpuUsage();
  const { result } = await ramp.executeStep({
    target: 'backend', phase: 'ramp', budget: ramp.budgetStep(concurrency, requests, 1), collection: BENCH_COLLECTION, envVars: { backend_url: target.url },
    failOn: RAMP_OPTIONS.failOn, threshold: RAMP_OPTIONS.threshold, timeoutRequestMs: RAMP_OPTIONS.timeoutRequestMs, runRequestsBefore: 0, onProgress: () => {},
  }, { runEngine: engines.ENGINES.fast.run, engineName: 'fast' });
  const used = process.cpuUsage(cpu);
  return { rps: result.rps, cpuMs: (used.user + used.system) / 1000 / result.requests };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seen = { old: [], new: [], autocannon: [] };
try {
  for (let i = 0; i < 3; i++) for (const name of ['old', 'new']) await step(name);
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? ['old', 'new'] : ['new', 'old']) seen[name].push(await step(name));
    if (values.autocannon) {
      const ac = await runAutocannon(target.url, { connections: concurrency, durationSec: 1 });
      seen.autocannon.push({ rps: ac.rps, cpuMs: (ac.clientCpuPercent / 100) * 1000 / ac.rps });
    }
  }
  const rows = Object.entries(seen).filter(([, runs]) => runs.length > 0).map(([name, runs]) => [
    name === 'autocannon' ? 'autocannon' : `${name} (${builds[name]})`, num(median(runs.map((r) => r.rps))), median(runs.map((r) => r.cpuMs)).toFixed(4), runs.map((r) => num(r.rps)).join(' '),
  ]);
  console.log(`fast engine A/B against nginx return 200: C=${concurrency}, ${num(requests)} requests a step, ${rounds} rounds`);
  printTable(['build', 'median req/s', 'median CPU ms/req', 'each round'], rows, 'lrrl');
  console.log(`→ new / old, median req/s: ${(median(seen.new.map((r) => r.rps)) / median(seen.old.map((r) => r.rps))).toFixed(2)}×`);
} finally {
  await target.close();
  await stopAllServers();
}
