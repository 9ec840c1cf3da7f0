import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/diagnose/log/read-log.js';
import { InputError } from '../../src/errors.js';
import { describeLineShape, detectLogFormat, formatOfLine } from '../../src/gateways/logs/index.js';
import type { CauseCode, LogFormat, LogSummary } from '../../src/model.js';

/** Real lines from the real gateways (test/fixtures/gateway-logs/README.md says how they were made). */
const FIXTURES = join(import.meta.dirname, '../fixtures/gateway-logs');
const fixture = (path: string) => join(FIXTURES, path);
const firstLine = (path: string) => readFileSync(fixture(path), 'utf8').split('\n')[0];

function causesOf(summary: LogSummary): Partial<Record<CauseCode, number>> {
  return Object.fromEntries(Object.entries(summary.causes).map(([code, cause]) => [code, cause.count]));
}

interface Case {
  file: string;
  format: LogFormat;
  gateway?: string;
  causes: Partial<Record<CauseCode, number>>;
  /** The answers an access-style log holds, status → requests. */
  answers?: Record<string, number>;
  retried?: number;
}

/** What each reader makes of each file, beside what the client got (the lab's request sequence, README). */
const CASES: Case[] = [
  // nginx: the error log names each failed attempt; the access log has the final statuses and $upstream_status.
  { file: 'nginx/down/error.log', format: 'nginx', gateway: 'nginx', causes: { 'backend-down': 3 } },
  { file: 'nginx/slow/error.log', format: 'nginx', gateway: 'nginx', causes: { 'backend-timeout': 3 } },
  { file: 'nginx/malformed/error.log', format: 'nginx', gateway: 'nginx', causes: { 'backend-invalid-response': 3 } },
  { file: 'nginx/crash/error.log', format: 'nginx', gateway: 'nginx', causes: { 'backend-closed-connection': 1, 'backend-down': 2 } },
  { file: 'nginx/maxconns/error.log', format: 'nginx', gateway: 'nginx', causes: { 'no-live-upstreams': 2 } },
  { file: 'nginx/dns/error.log', format: 'nginx', gateway: 'nginx', causes: { 'backend-unresolvable': 3 } },
  // 4 failed attempts; the two GETs were retried by nginx (us="502, 200"), the two POSTs got 502.
  { file: 'nginx/race/error.log', format: 'nginx', gateway: 'nginx', causes: { 'backend-closed-connection': 4 } },
  { file: 'nginx/race/access.log', format: 'combined', causes: {}, answers: { 200: 4, 502: 2 }, retried: 2 },
  { file: 'nginx/down/access.log', format: 'combined', causes: {}, answers: { 502: 3 } },
  { file: 'nginx/slow/access.log', format: 'combined', causes: {}, answers: { 504: 3 } },
  // HAProxy: one line per request, its termination state says why.
  { file: 'haproxy/down/haproxy.log', format: 'haproxy', gateway: 'haproxy', causes: { 'backend-down': 3 }, answers: { 503: 3 } },
  { file: 'haproxy/slow/haproxy.log', format: 'haproxy', gateway: 'haproxy', causes: { 'backend-timeout': 3 }, answers: { 504: 3 } },
  { file: 'haproxy/malformed/haproxy.log', format: 'haproxy', gateway: 'haproxy', causes: { 'backend-invalid-response': 3 }, answers: { 502: 3 } },
  { file: 'haproxy/crash/haproxy.log', format: 'haproxy', gateway: 'haproxy', causes: { 'backend-closed-connection': 1, 'backend-down': 2 }, answers: { 200: 1, 502: 1, 503: 2 } },
  { file: 'haproxy/maxconns/haproxy.log', format: 'haproxy', gateway: 'haproxy', causes: { 'gateway-overflow': 1 }, answers: { 200: 2, 503: 1 } },
  { file: 'haproxy/race/haproxy.log', format: 'haproxy', gateway: 'haproxy', causes: { 'backend-closed-connection': 3 }, answers: { 200: 3, 502: 3 } },
  // Caddy: the runtime log names the failure in Go's words, with the status it answered; the access log has every request.
  { file: 'caddy/down/caddy.log', format: 'caddy', gateway: 'caddy', causes: { 'backend-down': 3 } },
  { file: 'caddy/slow/caddy.log', format: 'caddy', gateway: 'caddy', causes: { 'backend-timeout': 3 } },
  { file: 'caddy/malformed/caddy.log', format: 'caddy', gateway: 'caddy', causes: { 'backend-invalid-response': 3 } },
  { file: 'caddy/dns/caddy.log', format: 'caddy', gateway: 'caddy', causes: { 'backend-unresolvable': 3 } },
  // Go retried the GETs on a fresh connection: only the two POSTs failed.
  { file: 'caddy/race/caddy.log', format: 'caddy', gateway: 'caddy', causes: { 'backend-closed-connection': 2 } },
  { file: 'caddy/healthy/caddy.log', format: 'caddy', gateway: 'caddy', causes: {} },
  { file: 'caddy/down/access.log', format: 'caddy', gateway: 'caddy', causes: {}, answers: { 502: 3 } },
  { file: 'caddy/race/access.log', format: 'caddy', gateway: 'caddy', causes: {}, answers: { 200: 4, 502: 2 } },
  // Apache: AH codes, one line per request (the echo lines AH01114 / AH00898 / AH10404 are not counted twice).
  { file: 'apache/down/error.log', format: 'apache', gateway: 'apache', causes: { 'backend-down': 3 } },
  { file: 'apache/slow/error.log', format: 'apache', gateway: 'apache', causes: { 'backend-timeout': 3 } },
  { file: 'apache/malformed/error.log', format: 'apache', gateway: 'apache', causes: { 'backend-invalid-response': 3 } },
  { file: 'apache/crash/error.log', format: 'apache', gateway: 'apache', causes: { 'backend-closed-connection': 1, 'backend-down': 2 } },
  { file: 'apache/maxconns/error.log', format: 'apache', gateway: 'apache', causes: { 'gateway-overflow': 1 } },
  { file: 'apache/race/error.log', format: 'apache', gateway: 'apache', causes: { 'backend-closed-connection': 3 } },
  { file: 'apache/down/access.log', format: 'combined', causes: {}, answers: { 503: 3 } },
  // Varnish: varnishncsa has statuses only (503 for everything); varnishlog's FetchError says why.
  { file: 'varnish/down/varnishncsa.log', format: 'varnishncsa', gateway: 'varnish', causes: {}, answers: { 503: 3 } },
  { file: 'varnish/down/varnishlog.txt', format: 'varnishlog', gateway: 'varnish', causes: { 'backend-down': 3 }, answers: { 503: 3 } },
  { file: 'varnish/slow/varnishlog.txt', format: 'varnishlog', gateway: 'varnish', causes: { 'backend-timeout': 3 }, answers: { 503: 3 } },
  { file: 'varnish/malformed/varnishlog.txt', format: 'varnishlog', gateway: 'varnish', causes: { 'backend-invalid-response': 3 }, answers: { 503: 3 } },
  // The second GET met the closed connection, was retried, and the retry was refused: the refusal made the 503.
  { file: 'varnish/crash/varnishlog.txt', format: 'varnishlog', gateway: 'varnish', causes: { 'backend-down': 3 }, answers: { 200: 1, 503: 3 } },
  { file: 'varnish/maxconns/varnishlog.txt', format: 'varnishlog', gateway: 'varnish', causes: { 'gateway-overflow': 1 }, answers: { 200: 2, 503: 1 } },
  // Two GETs met the race and Varnish retried them (200); the POSTs' streamed bodies could not be sent again.
  { file: 'varnish/race/varnishlog.txt', format: 'varnishlog', gateway: 'varnish', causes: { 'backend-closed-connection': 2 }, answers: { 200: 4, 503: 2 }, retried: 2 },
  // Traefik, from its documentation: CLF and JSON.
  { file: 'traefik/access.clf.log', format: 'traefik', gateway: 'traefik', causes: {}, answers: { 200: 1, 502: 1, 504: 1 } },
  { file: 'traefik/access.json.log', format: 'traefik', gateway: 'traefik', causes: { 'backend-sent-502': 1 }, answers: { 200: 2, 502: 2 }, retried: 1 },
];

describe('each gateway\'s own log, read from the lines the real gateway wrote', () => {
  it.each(CASES)('$file → $format', async (c) => {
    const summary = await readLog(fixture(c.file));
    expect(summary.format).toBe(c.format);
    expect(summary.formatSource).toBe('detected');
    expect(summary.gatewayKind).toBe(c.gateway);
    expect(causesOf(summary)).toEqual(c.causes);
    expect(summary.unnamed).toBeUndefined();
    expect(summary.matched).toBe(summary.lines);
    if (c.answers) expect(summary.answers?.statuses).toEqual(Object.fromEntries(Object.entries(c.answers).map(([s, n]) => [s, n])));
    else expect(summary.answers).toBeUndefined();
    expect(summary.answers?.retried ?? 0).toBe(c.retried ?? 0);
  });

  it('keeps what each line says of its request: methods, and the status a Caddy error line answered', async () => {
    const caddy = await readLog(fixture('caddy/race/caddy.log'));
    expect(caddy.causes['backend-closed-connection']).toMatchObject({ answered: { 502: 2 }, methods: { POST: 2 } });
    const nginx = await readLog(fixture('nginx/race/error.log'));
    expect(nginx.causes['backend-closed-connection']!.methods).toEqual({ POST: 2, GET: 2 });
    const access = await readLog(fixture('nginx/race/access.log'));
    expect(access.answers).toMatchObject({ methods: { 502: { POST: 2 } }, retriedMethods: { GET: 2 } });
  });
});

describe('detection tells every format from the others, on real first lines', () => {
  const FIRST: Array<[string, LogFormat]> = [
    ['nginx/down/error.log', 'nginx'], ['nginx/down/access.log', 'combined'], ['apache/down/error.log', 'apache'], ['apache/down/access.log', 'combined'],
    ['caddy/down/access.log', 'caddy'], ['caddy/down/caddy.log', 'caddy'], ['haproxy/down/haproxy.log', 'haproxy'],
    ['varnish/down/varnishncsa.log', 'varnishncsa'], ['varnish/down/varnishlog.txt', 'varnishlog'],
    ['traefik/access.json.log', 'traefik'], ['traefik/access.clf.log', 'traefik'],
  ];
  it.each(FIRST)('%s → %s', (file, format) => {
    expect(formatOfLine(firstLine(file))).toBe(format);
  });

  it('Envoy JSON and ALB lines are not taken for Caddy, Traefik or combined', () => {
    const envoy = '{"start_time":"2026-12-08T03:54:11.120Z","method":"GET","response_code":503,"response_flags":"UF","upstream_host":"10.0.0.5:8080"}';
    const alb = 'http 2026-12-08T03:54:11.120000Z app/lab/1 10.0.0.7:51234 10.0.0.5:8080 0.001 0.002 0.000 200 200 34 366 "GET http://lab:80/api/users HTTP/1.1" "curl/8.5.0" - - arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/lab/1 "Root=1-x" "-" "-" 0 2026-12-08T03:54:11.117000Z "forward" "-" "-" "10.0.0.5:8080" "200" "-" "-"';
    expect(detectLogFormat([envoy])).toBe('envoy');
    expect(detectLogFormat([alb])).toBe('alb');
  });

  it('describes a line it cannot place by its shape', () => {
    expect(describeLineShape('{"level":"info","time":"x","msg":"y"}')).toBe('a JSON object with keys level, time, msg');
    expect(describeLineShape('hello world')).toBe('text starting "hello world"');
  });
});

describe('a log diagnose cannot read is said so, never read as clean', () => {
  it('a log in no known format is an InputError naming the file and its first line', async () => {
    const error = await readLog({ name: 'app.log', stream: Readable.from(['INFO app started\n', 'WARN cache cold\n']) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('app.log is in no log format diagnose reads: its first line is text starting "INFO app started"');
    expect((error as InputError).hint).toContain('--log-format');
  });

  it('a log forced to a format its lines are not in is refused too', async () => {
    const error = await readLog(fixture('apache/down/error.log'), { format: 'haproxy' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('6 of 6 line(s) are not in the HAProxy log format it was given as');
  });

  it('an empty log is read as empty, not as some format', async () => {
    const summary = await readLog({ name: 'empty.log', stream: Readable.from([]) });
    expect(summary).toMatchObject({ format: 'empty', lines: 0 });
  });
});
