import { describe, expect, it } from 'vitest';
import { classifyLine, extractPhase, extractUpstream } from '../../src/gateways/logs/nginx-error-line.js';
import { createLogAccumulator } from '../../src/diagnose/log/log-accumulator.js';
import { formatNginxTime, parseSince } from '../../src/diagnose/log/since.js';
import { InputError } from '../../src/errors.js';

const at = (time: string, level: string, message: string) => `${time} [${level}] 123#123: ${message}`;
const T = '2026/11/25 06:41:02';
const tail = (path: string) => `, client: 127.0.0.1, server: , request: "GET ${path} HTTP/1.1", upstream: "http://127.0.0.1:3000${path}", host: "127.0.0.1:8080"`;

// Lines as nginx 1.22 writes them (copied from real logs), one per cause.
const CASES: Array<[string, string]> = [
  [at(T, 'error', `*5 connect() failed (111: Connection refused) while connecting to upstream${tail('/api/users')}`), 'backend-down'],
  [at(T, 'error', `*9 upstream prematurely closed connection while reading response header from upstream${tail('/x')}`), 'backend-closed-connection'],
  [at(T, 'error', `*13 upstream timed out (110: Connection timed out) while reading response header from upstream${tail('/slow')}`), 'backend-timeout'],
  [at(T, 'error', `*14 upstream timed out (110: Connection timed out) while connecting to upstream${tail('/slow')}`), 'backend-timeout'],
  [at(T, 'error', `*2 no live upstreams while connecting to upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1", upstream: "http://backend/", host: "x"`), 'no-live-upstreams'],
  [at(T, 'error', `*5 upstream sent invalid header: "Bad\\x20..." while reading response header from upstream${tail('/m')}`), 'backend-invalid-response'],
  [at(T, 'error', `*7 upstream sent no valid HTTP/1.0 header while reading response header from upstream${tail('/m')}`), 'backend-invalid-response'],
  [at(T, 'error', '*15 nope.invalid could not be resolved (110: Operation timed out), client: 127.0.0.1, server: , request: "GET / HTTP/1.1"'), 'backend-unresolvable'],
  [at(T, 'error', 'send() failed (111: Connection refused) while resolving, resolver: 127.0.0.1:53'), 'backend-unresolvable'],
  [at(T, 'emerg', 'host not found in upstream "api.invalid:80" in /etc/nginx/nginx.conf:12'), 'backend-unresolvable'],
  [at(T, 'error', `*11 recv() failed (104: Connection reset by peer) while reading response header from upstream${tail('/r')}`), 'connection-reset'],
  [at(T, 'error', `*3 connect() failed (113: No route to host) while connecting to upstream${tail('/')}`), 'backend-unreachable'],
  [at(T, 'error', `*3 connect() failed (101: Network is unreachable) while connecting to upstream${tail('/')}`), 'backend-unreachable'],
  [at(T, 'crit', `*4 SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking to upstream${tail('/')}`), 'tls-problem'],
  [at(T, 'error', `*4 upstream sent too big header while reading response header from upstream${tail('/')}`), 'gateway-misconfigured'],
  [at(T, 'error', `*4 upstream sent "Content-Length" and "Transfer-Encoding" headers at the same time while reading response header from upstream${tail('/')}`), 'backend-invalid-response'],
  [at(T, 'crit', '*1 connect() to unix:/run/php/php-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 1.2.3.4, upstream: "fastcgi://unix:/run/php/php-fpm.sock:"'), 'backend-down'],
  [at(T, 'error', '*4 limiting requests, excess: 1.000 by zone "one", client: 127.0.0.1, server: , request: "GET / HTTP/1.1", host: "127.0.0.1:18699"'), 'service-unavailable'],
  [at(T, 'error', `*3 peer closed connection in SSL handshake (104: Connection reset by peer) while SSL handshaking to upstream${tail('/')}`), 'tls-problem'],
  [at(T, 'error', `*3 connect() to 10.0.0.5:3000 failed (113: Host is unreachable) while connecting to upstream${tail('/')}`), 'backend-unreachable'],
  [at(T, 'error', `*3 readv() failed (104: Connection reset by peer) while reading upstream${tail('/')}`), 'connection-reset'],
];

describe('classifyLine', () => {
  it.each(CASES)('%s → %s', (line, code) => {
    const found = classifyLine(line);
    expect(found.kind).toBe('cause');
    expect(found.kind === 'cause' && found.code).toBe(code);
  });

  it('ignores startup notices, info lines and client-side resets', () => {
    expect(classifyLine(at(T, 'notice', 'start worker processes')).kind).toBe('ignored');
    expect(classifyLine(at(T, 'info', '*1 client 127.0.0.1 closed keepalive connection')).kind).toBe('ignored');
    expect(classifyLine(at(T, 'info', '*1 recv() failed (104: Connection reset by peer) while waiting for request, client: 1.2.3.4')).kind).toBe('ignored');
    expect(classifyLine(at(T, 'warn', '*1 upstream server temporarily disabled while connecting to upstream')).kind).toBe('ignored');
  });

  it('counts unknown error lines and lines not in nginx format as unknown', () => {
    expect(classifyLine(at(T, 'error', '*1 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory)')).kind).toBe('unknown');
    expect(classifyLine('PHP Fatal error: something').kind).toBe('unknown');
    // A client reset is no upstream cause even at error level.
    expect(classifyLine(at(T, 'error', '*1 writev() failed (104: Connection reset by peer) while sending to client, client: 1.2.3.4')).kind).toBe('unknown');
  });

  it('finds nginx lines behind syslog / docker prefixes and without a timestamp', () => {
    const refused = `connect() failed (111: Connection refused) while connecting to upstream${tail('/')}`;
    expect(classifyLine(`Nov 25 06:41:02 web1 nginx: ${at(T, 'error', `*5 ${refused}`)}`)).toMatchObject({ kind: 'cause', code: 'backend-down', time: T });
    expect(classifyLine(`proxy-1  | ${at(T, 'error', `*5 ${refused}`)}`)).toMatchObject({ kind: 'cause', code: 'backend-down', time: T });
    expect(classifyLine(`[error] 1234#0: *5678 ${refused}`)).toMatchObject({ kind: 'cause', code: 'backend-down' });
    expect(classifyLine('[notice] 1#1: start worker processes').kind).toBe('ignored');
    expect(classifyLine(`something odd: ${refused}`)).toMatchObject({ kind: 'cause', code: 'backend-down' });
  });

  it('extracts the upstream and the phase', () => {
    expect(extractUpstream('x, upstream: "http://127.0.0.1:3000/api/users", host: "h"')).toBe('http://127.0.0.1:3000');
    expect(extractUpstream('host not found in upstream "api.invalid:80" in /etc/nginx.conf:1')).toBe('api.invalid:80');
    expect(extractUpstream('*15 nope.invalid could not be resolved (3: Host not found)')).toBe('nope.invalid');
    expect(extractPhase('connect() failed (111: Connection refused) while connecting to upstream, client: x')).toBe('connecting to upstream');
  });
});

describe('createLogAccumulator', () => {
  it('keeps counts, first/last time, capped upstreams, one sample per cause and a few unknown samples', () => {
    const acc = createLogAccumulator('error.log');
    for (let i = 0; i < 30; i++) {
      acc.add(at(`2026/11/25 06:${String(10 + i).padStart(2, '0')}:00`, 'error', `*${i} connect() failed (111: Connection refused) while connecting to upstream, upstream: "http://10.0.0.${i}:3000/x"`));
    }
    for (let i = 0; i < 8; i++) acc.add(at(T, 'error', `*1 mystery ${i}`));
    acc.add(at(T, 'notice', 'start worker processes'));
    acc.add('');
    const s = acc.summary();
    expect(s.lines).toBe(39);
    expect(s.ignored).toBe(1);
    const refused = s.causes['backend-down']!;
    expect(refused.count).toBe(30);
    expect(refused.first).toBe('2026/11/25 06:10:00');
    expect(refused.last).toBe('2026/11/25 06:39:00');
    expect(refused.upstreams).toHaveLength(10);
    expect(refused.phases).toEqual({ 'connecting to upstream': 30 });
    expect(refused.sample).toContain('*0 connect() failed');
    expect(s.unknown.count).toBe(8);
    expect(s.unknown.samples).toHaveLength(5);
  });

  it('skips lines before --since by nginx timestamp and keeps undated lines', () => {
    const acc = createLogAccumulator('error.log', { sinceMs: new Date(2026, 10, 25, 6, 30, 0).getTime() });
    acc.add(at('2026/11/25 06:29:59', 'error', 'upstream timed out (110: Connection timed out) while reading response header from upstream'));
    acc.add(at('2026/11/25 06:30:00', 'error', 'upstream timed out (110: Connection timed out) while reading response header from upstream'));
    acc.add(at('2026/11/26 00:00:00', 'error', 'upstream timed out (110: Connection timed out) while reading response header from upstream'));
    acc.add('a line without a timestamp');
    const s = acc.summary();
    expect(s.skipped).toBe(1);
    expect(s.causes['backend-timeout']!.count).toBe(2);
    expect(s.unknown.count).toBe(1);
  });
});

describe('parseSince', () => {
  const now = new Date(2026, 10, 25, 12, 0, 0);
  it('reads durations back from now and ISO times', () => {
    expect(parseSince('30m', now).getTime()).toBe(now.getTime() - 30 * 60_000);
    expect(parseSince('2h', now).getTime()).toBe(now.getTime() - 2 * 3_600_000);
    expect(parseSince('1d', now).getTime()).toBe(now.getTime() - 86_400_000);
    expect(parseSince('2026-11-25T06:00:00Z', now).toISOString()).toBe('2026-11-25T06:00:00.000Z');
  });
  it('rejects anything else with an InputError naming --since', () => {
    expect(() => parseSince('yesterday', now)).toThrow(InputError);
    expect(() => parseSince('30x', now)).toThrow(/--since/);
  });
  it('formats a moment the way nginx writes it, in local time', () => {
    expect(formatNginxTime(new Date(2026, 0, 5, 7, 8, 9))).toBe('2026/01/05 07:08:09');
  });
});
