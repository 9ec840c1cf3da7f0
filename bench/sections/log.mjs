/**
 * Section 4, log reading: readErrorLog (classify every line, keep counts and samples) over a ~50 MB
 * nginx error log, against the floor of any line-based reader — the same stream and readline,
 * only counting lines. The log is generated in a temp dir from the causes the rule table knows.
 */
import { createReadStream, mkdtempSync, openSync, closeSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readErrorLog } from '../../dist/diagnose/log/read-log.js';
import { formatNginxErrorLine } from '../../dist/lab/error-log.js';
import { num, printHeading, printRatio, printTable } from '../lib/format.mjs';

const TARGET_BYTES = 50 * 1024 * 1024;
const ROUNDS = 2;
const PATHS = ['/api/users', '/api/users/42', '/api/orders/9001?expand=items', '/api/cart', '/health', '/api/search?q=502'];

/**
 * The mix of an incident: mostly refused / timed out / closed upstreams, some of every other cause,
 * plus noise nginx writes anyway (keep-alive closes, disabled-server warnings, favicon misses) and
 * lines behind a docker prefix. `kind` is what diagnose should count them as.
 */
const TEMPLATES = [
  { weight: 30, kind: 'backend-down', message: 'connect() failed (111: Connection refused) while connecting to upstream' },
  { weight: 20, kind: 'backend-timeout', message: 'upstream timed out (110: Connection timed out) while reading response header from upstream' },
  { weight: 15, kind: 'backend-closed-connection', message: 'upstream prematurely closed connection while reading response header from upstream' },
  { weight: 6, kind: 'connection-reset', message: 'recv() failed (104: Connection reset by peer) while reading response header from upstream' },
  { weight: 4, kind: 'no-live-upstreams', message: 'no live upstreams while connecting to upstream', upstreamName: 'http://api_backend' },
  { weight: 3, kind: 'backend-invalid-response', message: 'upstream sent invalid header: "X-Broken\\x00..." while reading response header from upstream' },
  { weight: 2, kind: 'backend-unresolvable', message: 'api.internal.invalid could not be resolved (3: Host not found)', noUpstream: true },
  { weight: 2, kind: 'tls-problem', level: 'crit', message: 'SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking to upstream' },
  { weight: 1, kind: 'backend-unreachable', message: 'connect() failed (113: No route to host) while connecting to upstream' },
  { weight: 1, kind: 'gateway-misconfigured', message: 'upstream sent too big header while reading response header from upstream' },
  { weight: 8, kind: 'ignored', raw: (stamp, n) => `${stamp} [info] 7#7: *${n} client 10.2.${n % 250}.${n % 200} closed keepalive connection` },
  { weight: 3, kind: 'ignored', raw: (stamp, n) => `${stamp} [warn] 7#7: *${n} upstream server temporarily disabled while connecting to upstream, client: 10.2.0.${n % 200}, server: api` },
  { weight: 3, kind: 'unknown', raw: (stamp, n) => `${stamp} [error] 7#7: *${n} open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 10.2.0.${n % 200}, server: api` },
  { weight: 2, kind: 'backend-down', docker: true, message: 'connect() failed (111: Connection refused) while connecting to upstream' },
];
const WHEEL = TEMPLATES.flatMap((t) => Array(t.weight).fill(t));

/** Line `n` of the generated log, and what it should be counted as. */
function makeLine(n, time) {
  const t = WHEEL[(n * 7919) % WHEEL.length];
  const pad = (v) => String(v).padStart(2, '0');
  const stamp = `${time.getFullYear()}/${pad(time.getMonth() + 1)}/${pad(time.getDate())} ${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
  if (t.raw) return { kind: t.kind, text: t.raw(stamp, n) + '\n' };
  const path = PATHS[n % PATHS.length];
  const upstream = `${t.upstreamName ?? `http://10.0.${n % 4}.${10 + (n % 8)}:3000`}${path}`;
  const text = formatNginxErrorLine({
    time, level: t.level ?? 'error', pid: 7, connection: n, message: t.message,
    client: `10.1.${n % 250}.${n % 200}`, server: 'api', request: `GET ${path} HTTP/1.1`,
    upstream: t.noUpstream ? undefined : upstream, host: 'api.example',
  });
  return { kind: t.kind, text: t.docker ? `gateway-1  | ${text}` : text };
}

/** Writes ~TARGET_BYTES of log, one second per 50 lines; returns the expected counts. */
function writeLog(file) {
  const fd = openSync(file, 'w');
  const expected = { lines: 0 };
  const start = new Date(2026, 10, 25, 6, 0, 0).getTime();
  let bytes = 0;
  try {
    while (bytes < TARGET_BYTES) {
      let chunk = '';
      while (chunk.length < 1024 * 1024) {
        const n = expected.lines++;
        const line = makeLine(n, new Date(start + Math.floor(n / 50) * 1000));
        expected[line.kind] = (expected[line.kind] ?? 0) + 1;
        chunk += line.text;
      }
      bytes += writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
  return expected;
}

/** The baseline: the same stream settings as readErrorLog, readline, and nothing but a line count. */
async function countLines(file) {
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let count = 0;
  for await (const _line of lines) count += 1;
  return count;
}

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

export async function runLogSection() {
  printHeading('4. Log reading: readErrorLog vs a readline line count over a ~50 MB nginx error log');
  const dir = mkdtempSync(join(tmpdir(), 'debug502-bench-log-'));
  try {
    const file = join(dir, 'error.log');
    const written = await timed(() => writeLog(file));
    const expected = written.value;
    const mb = statSync(file).size / 1024 / 1024;
    console.log(`  generated ${num(mb, 1)} MB, ${num(expected.lines)} lines in ${num(written.ms)} ms (${TEMPLATES.length} line shapes, ${Object.keys(expected).filter((k) => !['lines', 'ignored', 'unknown'].includes(k)).length} causes)`);
    // Alternating rounds, best of each: the file is in the page cache for both after the first read.
    let baseline = { ms: Infinity };
    let reader = { ms: Infinity };
    for (let round = 0; round < ROUNDS; round += 1) {
      const b = await timed(() => countLines(file));
      if (b.ms < baseline.ms) baseline = b;
      const r = await timed(() => readErrorLog(file));
      if (r.ms < reader.ms) reader = r;
    }
    const summary = reader.value;
    const causeCounts = Object.fromEntries(Object.entries(summary.causes).map(([code, cause]) => [code, cause.count]));
    const mismatches = [
      ['lines', summary.lines, expected.lines],
      ['baseline lines', baseline.value, expected.lines],
      ['ignored', summary.ignored ?? 0, expected.ignored ?? 0],
      ['unknown', summary.unknown.count, expected.unknown ?? 0],
      ...TEMPLATES.filter((t) => t.kind !== 'ignored' && t.kind !== 'unknown').map((t) => [t.kind, causeCounts[t.kind] ?? 0, expected[t.kind]]),
    ].filter(([, got, want]) => got !== want);
    printTable(
      ['reader', 'lines', 'ms (best of 2)', 'MB/s', 'lines/s'],
      [
        ['readline, count only (baseline)', num(baseline.value), num(baseline.ms), num(mb / (baseline.ms / 1000), 1), num(baseline.value / (baseline.ms / 1000))],
        ['readErrorLog (classify + summarize)', num(summary.lines), num(reader.ms), num(mb / (reader.ms / 1000), 1), num(summary.lines / (reader.ms / 1000))],
      ],
    );
    console.log(`  counts check: ${mismatches.length === 0 ? 'every cause, ignored and unknown count as generated' : `MISMATCH ${mismatches.map(([k, g, w]) => `${k} ${g}≠${w}`).join(', ')}`}`);
    const speed = baseline.ms / reader.ms;
    printRatio('readErrorLog / baseline MB/s', speed, 'share of the bare line-reading speed left after classifying every line');
    return [{ name: 'log: readErrorLog / readline-count MB/s', value: speed, meaning: `classifying costs ${num(reader.ms / baseline.ms, 1)}× the time of only reading lines${mismatches.length ? ' — COUNTS MISMATCH' : ''}` }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
