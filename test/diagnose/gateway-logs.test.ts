import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { diagnose } from '../../src/diagnose/index.js';
import { detectLogFormat } from '../../src/gateways/logs/index.js';
import { readLog } from '../../src/diagnose/log/read-log.js';
import { tempDir } from './helpers/files.js';
import { albLine, envoyJsonLine, envoyLine, haproxyAt, haproxyLine, isoAt } from './helpers/gateway-logs.js';

const dir = tempDir('debug502-gwlogs-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `lines` as NAME (plain) and NAME.gz (gzipped); returns both paths. */
function writeBoth(name: string, lines: string[]): [string, string] {
  const text = lines.join('\n') + '\n';
  const plain = join(dir, name);
  writeFileSync(plain, text);
  writeFileSync(`${plain}.gz`, gzipSync(text));
  return [plain, `${plain}.gz`];
}

const ALB: Array<[string, string | null]> = [
  [albLine({ time: isoAt(0), status: 200 }), null],
  [albLine({ time: isoAt(1), status: 502, targetStatus: '-', times: ['0.000', '0.003', '-1'] }), 'backend-closed-connection'],
  [albLine({ time: isoAt(2), status: 502, targetStatus: '-', times: ['-1', '-1', '-1'] }), 'backend-down'],
  [albLine({ time: isoAt(3), status: 502, targetStatus: '502' }), 'backend-sent-502'],
  [albLine({ time: isoAt(4), status: 502, target: '-', targetStatus: '-', times: ['0.001', '0.100', '-1'], errorReason: 'LambdaInvalidResponse' }), 'backend-invalid-response'],
  [albLine({ time: isoAt(5), status: 504, targetStatus: '-', times: ['0.000', '-1', '-1'] }), 'backend-timeout'],
  [albLine({ time: isoAt(6), status: 503, target: '-', targetStatus: '-', times: ['-1', '-1', '-1'] }), 'no-live-upstreams'],
  [albLine({ time: isoAt(7), status: 404 }), null],
  [albLine({ time: isoAt(8), status: 500 }), null],
];

const ENVOY: Array<[string, string | null]> = [
  [envoyLine({ time: isoAt(0), status: 200 }), null],
  [envoyLine({ time: isoAt(1), status: 503, flags: 'UF,URX' }), 'backend-down'],
  [envoyLine({ time: isoAt(1), status: 503, flags: 'UF' }), 'backend-down'],
  [envoyLine({ time: isoAt(2), status: 503, flags: 'UH' }), 'no-live-upstreams'],
  [envoyLine({ time: isoAt(3), status: 503, flags: 'UC' }), 'backend-closed-connection'],
  [envoyLine({ time: isoAt(3), status: 503, flags: 'UR' }), 'backend-closed-connection'],
  [envoyLine({ time: isoAt(4), status: 502, flags: 'UPE' }), 'backend-invalid-response'],
  [envoyLine({ time: isoAt(5), status: 504, flags: 'UT' }), 'backend-timeout'],
  [envoyLine({ time: isoAt(6), status: 503, flags: 'UO' }), 'gateway-overflow'],
  [envoyLine({ time: isoAt(7), status: 503, flags: 'URX' }), 'service-unavailable'],
  [envoyLine({ time: isoAt(8), status: 502 }), 'backend-sent-502'],
  [envoyLine({ time: isoAt(9), status: 404, flags: 'NR' }), null],
];

const HAPROXY: Array<[string, string | null]> = [
  [haproxyLine({ time: haproxyAt(0), status: 200, state: '----' }), null],
  [haproxyLine({ time: haproxyAt(1), status: 502, state: 'SH--' }), 'backend-closed-connection'],
  [haproxyLine({ time: haproxyAt(2), status: 502, state: 'PH--' }), 'backend-invalid-response'],
  [haproxyLine({ time: haproxyAt(3), status: 503, state: 'SC--' }), 'backend-down'],
  [haproxyLine({ time: haproxyAt(4), status: 503, state: 'sC--' }), 'backend-unreachable'],
  [haproxyLine({ time: haproxyAt(5), status: 504, state: 'sH--' }), 'backend-timeout'],
  [haproxyLine({ time: haproxyAt(6), status: 503, state: 'sQ--', server: '<NOSRV>' }), 'gateway-overflow'],
  [haproxyLine({ time: haproxyAt(7), status: 404, state: '----' }), null],
  [haproxyLine({ time: haproxyAt(8), status: 200, state: 'CD--' }), null],
];

/** Cause → expected line count, from a table. */
function expectedCauses(table: Array<[string, string | null]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [, code] of table) if (code) out[code] = (out[code] ?? 0) + 1;
  return out;
}
const counts = (causes: Record<string, { count: number } | undefined>) => Object.fromEntries(Object.entries(causes).map(([k, v]) => [k, v!.count]));

describe.each([
  ['alb', ALB],
  ['envoy', ENVOY],
  ['haproxy', HAPROXY],
])('%s access log, line for line', (format, table) => {
  const lines = table.map(([line]) => line);
  const [plain, gz] = writeBoth(`${format}.log`, lines);

  it.each([['plain', plain], ['gzipped', gz]])('%s: detected, every line counted in its cause', async (_kind, file) => {
    const summary = await readLog(file);
    expect(summary.format).toBe(format);
    expect(summary.formatSource).toBe('detected');
    expect(summary.lines).toBe(table.length);
    expect(counts(summary.causes)).toEqual(expectedCauses(table));
    expect(summary.ok).toBe(table.filter(([, c]) => c === null).length);
    expect(summary.unknown.count).toBe(0);
  });
});

describe('gateway log reading', () => {
  it('reads HAProxy lines behind a syslog prefix the same way', async () => {
    const [file] = writeBoth('haproxy-syslog.log', HAPROXY.map(([line]) => `Nov 25 06:00:00 lb1 haproxy[14389]: ${line}`));
    const summary = await readLog(file);
    expect(summary.format).toBe('haproxy');
    expect(counts(summary.causes)).toEqual(expectedCauses(HAPROXY));
    expect(haproxyLine({ time: haproxyAt(1), status: 502, state: 'SH--', syslog: true })).toMatch(/^Feb {2}6 .* haproxy\[14389\]: /);
  });

  it('reads Envoy JSON access logs with the same flags', async () => {
    const table: Array<[string, string | null]> = [
      [envoyJsonLine({ time: isoAt(0), status: 200 }), null],
      [envoyJsonLine({ time: isoAt(1), status: 503, flags: 'UC' }), 'backend-closed-connection'],
      [envoyJsonLine({ time: isoAt(2), status: 503, flags: 'UO' }), 'gateway-overflow'],
      [envoyJsonLine({ time: isoAt(3), status: 502 }), 'backend-sent-502'],
    ];
    const [, gz] = writeBoth('envoy.json.log', table.map(([l]) => l));
    const summary = await readLog(gz);
    expect(summary.format).toBe('envoy');
    expect(counts(summary.causes)).toEqual(expectedCauses(table));
    expect(summary.ok).toBe(1);
  });

  it('reads any stream (a pipe), gzipped or not, and honours --since by the format\'s own clock', async () => {
    const text = ALB.map(([l]) => l).join('\n');
    const plain = await readLog({ name: 'stdin', stream: Readable.from([Buffer.from(text)]) });
    expect(counts(plain.causes)).toEqual(expectedCauses(ALB));
    const zipped = gzipSync(text);
    // Split the gzip bytes over several chunks, as a pipe delivers them.
    const chunks = [zipped.subarray(0, 1), zipped.subarray(1, 50), zipped.subarray(50)];
    const since = await readLog({ name: 'stdin', stream: Readable.from(chunks) }, { since: new Date('2026-11-25T06:05:00Z') });
    expect(since.skipped).toBe(5);
    expect(counts(since.causes)).toEqual({ 'backend-timeout': 1, 'no-live-upstreams': 1 });
  });

  it('first/last seen and a per-minute histogram per cause', async () => {
    const lines = [0, 0, 1, 4].map((m, i) => albLine({ time: isoAt(m, i), status: 502, targetStatus: '-' }));
    const summary = await readLog({ name: 'x', stream: Readable.from([lines.join('\n')]) });
    const closed = summary.causes['backend-closed-connection']!;
    expect(closed.first).toBe(isoAt(0, 0));
    expect(closed.last).toBe(isoAt(4, 3));
    expect(closed.perMinute).toEqual({ '2026-11-25T06:00Z': 2, '2026-11-25T06:01Z': 1, '2026-11-25T06:04Z': 1 });
  });

  it('--log-format overrides detection; an unrecognisable file is refused, never assumed nginx', async () => {
    expect(detectLogFormat(['hello', envoyLine({ time: isoAt(0), status: 200 })])).toBe('envoy');
    const given = await readLog({ name: 'x', stream: Readable.from([`${HAPROXY[0][0]}\n`]) }, { format: 'haproxy' });
    expect(given.formatSource).toBe('given');
    expect(given.format).toBe('haproxy');
    await expect(readLog({ name: 'x', stream: Readable.from(['nothing known here\n']) })).rejects.toThrow(/x is in no log format diagnose reads: its first line is text starting "nothing known here"/);
  });

  it('a corrupt .gz is an InputError naming the option', async () => {
    const file = join(dir, 'broken.log.gz');
    writeFileSync(file, gzipSync('x'.repeat(1000)).subarray(0, 20));
    await expect(readLog(file)).rejects.toThrow(/--log: cannot read/);
  });
});

describe('logs alone, without --environment', () => {
  /** 45 minutes of ALB traffic, 20 requests a minute, one target-closed 502 (target time 2 ms) in most minutes. */
  function raceLog(): string[] {
    const lines: string[] = [];
    for (let m = 0; m < 45; m++) {
      for (let s = 0; s < 20; s++) lines.push(albLine({ time: isoAt(m, s * 3), status: 200 }));
      if (m % 4 !== 3) lines.push(albLine({ time: isoAt(m, 59), status: 502, targetStatus: '-', times: ['0.000', '0.002', '-1'] }));
    }
    return lines;
  }

  it('names the keep-alive race from an ALB log of steady target-closed 502s, with the fix', async () => {
    const [, gz] = writeBoth('race-alb.log', raceLog());
    const report = await diagnose({ logs: [gz] });
    expect(report.probes).toEqual([]);
    expect(report.log!.format).toBe('alb');
    expect(report.log!.causes['backend-closed-connection']!.count).toBe(34);
    expect(report.findings[0].code).toBe('keepalive-race');
    expect(report.findings[0].confidence).toBe('medium');
    expect(report.findings[0].evidence.join('\n')).toMatch(/34 closed-connection 502s .*low steady rate/);
    expect(report.findings[0].next).toMatch(/keepAliveTimeout/);
  });

  it('a burst of target-closed 502s is no race: backend-closed-connection, said to be a burst', async () => {
    const lines = raceLog().filter((l) => !/ 502 - /.test(l));
    for (let i = 0; i < 40; i++) lines.push(albLine({ time: isoAt(20, i), status: 502, targetStatus: '-' }));
    const [file] = writeBoth('burst-alb.log', lines);
    const report = await diagnose({ logs: [file] });
    expect(report.findings.map((f) => f.code)).toEqual(['backend-closed-connection']);
    expect(report.findings[0].evidence.join('\n')).toMatch(/a burst: 40 line\(s\) in 1 of the log's 45 minutes/);
  });

  it('CLI: --log repeatable, JSON log.format and log.causes, exit 1; no log and no environment is exit 2', async () => {
    const [envoyFile] = writeBoth('cli-envoy.log', ENVOY.map(([l]) => l));
    const [, albGz] = writeBoth('cli-alb.log', ALB.map(([l]) => l));
    const io = captureIo({ cwd: dir });
    const code = await main(['diagnose', '--log', envoyFile, '--nginx-log', albGz, '--format', 'json'], io);
    expect(code).toBe(1);
    const json = JSON.parse(io.out.join(''));
    expect(json.logs.map((l: { format: string }) => l.format)).toEqual(['envoy', 'alb']);
    expect(json.logs[0].causes).toEqual(expectedCauses(ENVOY));
    expect(json.log.format).toBe('mixed');
    expect(json.probes).toEqual([]);

    const text = captureIo({ cwd: dir });
    expect(await main(['diagnose', '--log', envoyFile], text)).toBe(1);
    expect(text.out.join('')).toMatch(/format envoy \(detected from its first lines\)/);

    const none = captureIo({ cwd: dir });
    expect(await main(['diagnose'], none)).toBe(2);
    expect(none.err.join('')).toMatch(/--environment or --log/);
  });

  it('CLI: --log - reads stdin', async () => {
    const io = captureIo({ cwd: dir, stdin: Readable.from([gzipSync(HAPROXY.map(([l]) => l).join('\n'))]) });
    expect(await main(['diagnose', '--log', '-', '--format', 'json'], io)).toBe(1);
    const json = JSON.parse(io.out.join(''));
    expect(json.log.file).toBe('stdin');
    expect(json.log.causes).toEqual(expectedCauses(HAPROXY));
  });
});
