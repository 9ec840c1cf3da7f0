#!/usr/bin/env node
/**
 * `npm run bench`: performance figures of debug502, each against a baseline measured in the same
 * run on the same machine (never absolute thresholds from elsewhere). Writes bench/results.json
 * (every ratio, and the figures of the limits section). Sections:
 *   limits     what limits each engine against nginx `return 200`: naive newman, Newman engine 1 and
 *              N threads, fast engine, autocannon at C=16/64; rate offered vs achieved; peak RSS
 *   engine     newman step vs autocannon ceiling; honest load at 50 ms latency for C = 8, 16, 32
 *   gateway    autocannon direct vs real nginx vs the built-in proxy
 *   memory     heap after GC after newman steps of 200, 1000, 3000 requests
 *   log        readErrorLog vs a readline line count over a ~50 MB error log
 *   generator  buildCollection (1000 endpoints) vs JSON.stringify of its output
 *   input-memory  peak RSS of generate (10k endpoints) and report --from (100k steps) vs their bounds
 * `node bench/run.mjs [section…]` runs only the named sections. Needs `npm run build` first (npm run
 * bench does it). Everything listens on 127.0.0.1, every server is stopped at the end, and a
 * watchdog ends the whole bench after WATCHDOG_MS. Exit 0 unless a section crashed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

// The memory section needs global.gc: run again with --expose-gc when it is missing.
// Signals sent to this process alone (not its group) are passed on, so the bench still stops its servers.
if (typeof globalThis.gc !== 'function') {
  const child = spawn(process.execPath, ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  const [code, signal] = await new Promise((resolve) => child.once('exit', (...args) => resolve(args)));
  process.exit(code ?? (signal === 'SIGINT' ? 130 : 1));
}

// The machine may be shared: under load the limits section alone takes minutes.
const WATCHDOG_MS = 900_000;
const SECTIONS = {
  limits: ['./sections/limits.mjs', 'runLimitsSection'],
  engine: ['./sections/engine.mjs', 'runEngineSection'],
  gateway: ['./sections/gateway.mjs', 'runGatewaySection'],
  memory: ['./sections/memory.mjs', 'runMemorySection'],
  log: ['./sections/log.mjs', 'runLogSection'],
  generator: ['./sections/generator.mjs', 'runGeneratorSection'],
  'input-memory': ['./sections/input-memory.mjs', 'runInputMemorySection'],
};

if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
  console.error('bench: dist/ is missing — run "npm run build" first (npm run bench builds it).');
  process.exit(1);
}
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in SECTIONS));
if (unknown.length > 0) {
  console.error(`bench: unknown section ${unknown.join(', ')}; sections: ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}
const selected = wanted.length > 0 ? wanted : Object.keys(SECTIONS);

const { stopAllServers } = await import('./lib/servers.mjs');
const { printHeading, printTable, ratio } = await import('./lib/format.mjs');
const { findNginx } = await import('../dist/lab/nginx.js');

let stopping = false;
async function stopAndExit(code, message) {
  if (stopping) return;
  stopping = true;
  if (message) console.error(`\nbench: ${message}`);
  await stopAllServers();
  process.exit(code);
}
process.once('SIGINT', () => void stopAndExit(130, 'interrupted; servers stopped'));
process.once('SIGTERM', () => void stopAndExit(143, 'terminated; servers stopped'));
const watchdog = setTimeout(() => void stopAndExit(1, `watchdog: the bench ran longer than ${WATCHDOG_MS / 1000} s`), WATCHDOG_MS);
watchdog.unref();

function nginxVersion() {
  const binary = findNginx();
  if (!binary) return 'not installed';
  const out = spawnSync(binary, ['-v'], { encoding: 'utf8', timeout: 5000 });
  return (out.stderr || out.stdout || '').trim().replace(/^nginx version:\s*/, '') || binary;
}

console.log(`debug502 bench — ${new Date().toISOString()}`);
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, nginx ${nginxVersion()}`);
console.log('Every ratio compares two figures measured in this run on this machine.');

const summary = [];
const crashed = [];
const details = {};
const started = performance.now();
for (const name of selected) {
  const [path, exportName] = SECTIONS[name];
  const t0 = performance.now();
  try {
    const module = await import(path);
    const ratios = await module[exportName]((details[name] = {}));
    summary.push(...ratios);
    console.log(`  (${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (error) {
    crashed.push(name);
    console.error(`\n  ✖ section ${name} crashed: ${error?.stack ?? error}`);
    summary.push({ name: `${name}: CRASHED`, value: null, meaning: String(error?.message ?? error).split('\n')[0] });
  } finally {
    await stopAllServers();
  }
}

printHeading('Summary (ratios against baselines measured in this run)');
printTable(['ratio', 'value', 'meaning'], summary.map((r) => [r.name, ratio(r.value), r.meaning]), 'lrl');
const resultsPath = new URL('./results.json', import.meta.url);
const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  note: 'ratios compare figures measured in this run; absolute figures depend on the machine and on what else runs on it',
  ratios: summary.map((r) => ({ name: r.name, value: r.value === null ? null : Math.round(r.value * 1000) / 1000, meaning: r.meaning })),
  sections: details,
};
const { writeFileAtomic } = await import('../dist/fs/atomic-write.js');
await writeFileAtomic(fileURLToPath(resultsPath), JSON.stringify(results, null, 2) + '\n');
console.log(`\nwrote ${fileURLToPath(resultsPath)}`);
console.log(`\nbench took ${((performance.now() - started) / 1000).toFixed(1)} s${crashed.length ? `; crashed: ${crashed.join(', ')}` : ''}`);
clearTimeout(watchdog);
// newman and autocannon can leave timers behind; the bench is done.
process.exit(crashed.length > 0 ? 1 : 0);
