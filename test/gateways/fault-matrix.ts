import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { labProfileOf, recogniseGateway, type LabGatewayKind } from '../../src/gateways/index.js';
import type { GatewayProfile, UpstreamFailure } from '../../src/gateways/profile.js';
import { startLab, type Lab, type LabOptions } from '../../src/lab/lab.js';
import { isInstalled } from '../../src/lab/start-gateway.js';

/** What one request got: status, headers and body, or the transport error. */
interface Answer {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  error?: string;
}

/** One request on a connection of its own (no client pooling), so the gateway sees a fresh client each time. */
function send(baseUrl: string, init: { method?: string; body?: string; path?: string } = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const headers = init.body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(init.body)) } : {};
    const req = request(new URL(init.path ?? '/api/users', baseUrl), { method: init.method ?? 'GET', agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ status: res.statusCode, headers: res.headers, body, error: error.code }));
    });
    req.setTimeout(15_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ headers: {}, body: '', error: error.code ?? 'ERROR' }));
    req.end(init.body);
  });
}

const statuses = (answers: Answer[]) => answers.map((a) => a.status ?? a.error);
const expected = (profile: GatewayProfile, failure: UpstreamFailure) => profile.answers[failure].status;

/** Lines of a file, polled for up to 2 s until there is at least one (varnishncsa writes a moment after the answer). */
async function linesOf(path: string): Promise<string[]> {
  for (let i = 0; i < 40; i += 1) {
    const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
    if (lines.length > 0 || i === 39) return lines;
    await sleep(50);
  }
  return [];
}

/** Every log the lab printed exists; the access log (or, for a failure, every log) got lines. */
async function expectLogs(lab: Lab, failed: boolean): Promise<void> {
  for (const log of lab.gateway.logs) {
    expect(existsSync(log.path), `${log.label} ${log.path}`).toBe(true);
    const profileFormat = lab.profile.logFormats.find((f) => f.name === log.format);
    const mustHaveLines = profileFormat?.kind === 'access' || (failed && log.label !== 'varnishlog');
    if (mustHaveLines) expect((await linesOf(log.path)).length, `${log.label} ${log.path}`).toBeGreaterThan(0);
  }
}

/** The statuses recognition must tell from a real answer: its headers always, where the profile names header clues. */
function expectRecognised(profile: GatewayProfile, answer: Answer, isError: boolean): void {
  const r = profile.recognition;
  const byHeaders = recogniseGateway({ headers: answer.headers });
  if (r.server || r.via || r.headers) expect(byHeaders?.kind, JSON.stringify(answer.headers)).toBe(profile.kind);
  else expect(byHeaders).toBeNull();
  if (isError) expect(recogniseGateway({ headers: answer.headers, body: answer.body })?.kind).toBe(profile.kind);
}

/**
 * The measurement behind each Debian gateway's status table (src/gateways/<kind>.ts): the lab with
 * that gateway, one fault at a time, a few requests with a real client, the status it answers
 * compared with the profile, and the logs the lab prints. Each case starts its own lab (port 0), and
 * the cases of one gateway run at once.
 */
export function describeGatewayFaults(kind: LabGatewayKind): void {
  const profile = labProfileOf(kind)!;
  const installed = isInstalled(profile);
  if (!installed && profile.lab.runs === 'binary') {
    console.log(`${profile.name} fault tests skipped: ${profile.lab.binary.names[0]} is not installed (${profile.lab.binary.install}, or set ${profile.lab.binary.envVar}); CI installs it.`);
  }
  const withLab = async (options: LabOptions, body: (lab: Lab) => Promise<void>) => {
    const lab = await startLab({ gateway: kind, ...options });
    try {
      expect(lab.gateway.kind).toBe(kind);
      await body(lab);
    } finally {
      await lab.close();
    }
  };

  describe.skipIf(!installed).concurrent(`${profile.name} in the lab: what it answers for each upstream failure`, () => {
    it('healthy: 200 and 201 pass through, recognised by its headers, the access log gets lines', () =>
      withLab({}, async (lab) => {
        const get = await send(lab.gateway.url);
        const post = await send(lab.gateway.url, { method: 'POST', body: '{"name":"Zoe"}' });
        expect(statuses([get, post])).toEqual([200, 201]);
        expectRecognised(profile, get, false);
        await expectLogs(lab, false);
      }));

    it('backend down (connection refused)', () =>
      withLab({ fault: { kind: 'down' } }, async (lab) => {
        const answers = await Promise.all([send(lab.gateway.url), send(lab.gateway.url)]);
        expect(statuses(answers)).toEqual([expected(profile, 'backend-down'), expected(profile, 'backend-down')]);
        expectRecognised(profile, answers[0], true);
        await expectLogs(lab, true);
      }));

    it('backend slower than --gateway-timeout', () =>
      withLab({ fault: { kind: 'slow', latencyMs: 2500 }, gatewayTimeoutMs: 300 }, async (lab) => {
        expect(statuses([await send(lab.gateway.url)])).toEqual([expected(profile, 'backend-timeout')]);
        await expectLogs(lab, true);
      }));

    it('malformed answer', () =>
      withLab({ fault: { kind: 'malformed' } }, async (lab) => {
        expect(statuses([await send(lab.gateway.url)])).toEqual([expected(profile, 'backend-invalid-response')]);
        await expectLogs(lab, true);
      }));

    it('crash-after=1: served, then the connection closed unanswered, then refused', () =>
      withLab({ fault: { kind: 'crash-after', requests: 1 } }, async (lab) => {
        const answers = [await send(lab.gateway.url), await send(lab.gateway.url), await send(lab.gateway.url)];
        expect(statuses(answers)).toEqual([200, expected(profile, 'backend-closed-connection'), expected(profile, 'backend-down')]);
        await expectLogs(lab, true);
      }));

    it('the backend answers 503 itself: passed through', () =>
      withLab({ fault: { kind: 'status', status: 503 } }, async (lab) => {
        expect(statuses([await send(lab.gateway.url, { path: '/health' })])).toEqual([503]);
        await expectLogs(lab, false);
      }));

    // Answers take L = 800 ms and the gateway waits T = 1200 ms: the second request in line waits about
    // L for the connection (< T), the third about 2L (> T) — 400 ms of margin either way on a busy machine.
    it('--max-conns 1 exceeded: three requests at once on a backend that takes 800 ms', () =>
      withLab({ maxConns: 1, latencyMs: 800, gatewayTimeoutMs: 1200 }, async (lab) => {
        const answers = await Promise.all([send(lab.gateway.url), send(lab.gateway.url), send(lab.gateway.url)]);
        const limit = expected(profile, 'gateway-overflow');
        const got = statuses(answers);
        // null: the gateway makes them wait for a free connection (Caddy), so all three are served.
        if (limit === null) expect(got).toEqual([200, 200, 200]);
        else {
          expect(got.filter((s) => s !== 200 && s !== limit)).toEqual([]);
          expect(got.filter((s) => s === limit).length).toBeGreaterThanOrEqual(1);
          expect(got).toContain(200);
        }
        // Strict caps hold one in flight; Varnish's is checked before the count is raised, so two may pass together.
        expect(lab.backend.stats().peakInFlight).toBeLessThanOrEqual(kind === 'varnish' ? 2 : 1);
        await expectLogs(lab, limit !== null);
      }));

    it('an upstream name that does not resolve', async () => {
      const answer = profile.answers['backend-unresolvable'];
      if (answer.basis === 'documented') {
        // Apache and Varnish cannot rehearse it here: the lab refuses, saying why.
        const error = await startLab({ gateway: kind, upstream: 'backend.invalid:8080' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        return;
      }
      await withLab({ upstream: 'backend.invalid:8080' }, async (lab) => {
        expect(statuses([await send(lab.gateway.url)])).toEqual([answer.status]);
        await expectLogs(lab, true);
      });
    });

    it('keep-alive race: a request on a pooled connection the backend has given up on', () =>
      // proxy_next_upstream as nginx ships it, so each gateway's own retry (or none) shows.
      // The backend gives up on connections idle 1 s and closes them at 2 s: 1.4 s of idleness is in the window.
      withLab({ fault: { kind: 'keepalive-race', idleMs: 1000 }, nextUpstream: 'error timeout' }, async (lab) => {
        const closed = expected(profile, 'backend-closed-connection');
        const first = await send(lab.gateway.url);
        await sleep(1400);
        const post = await send(lab.gateway.url, { method: 'POST', body: '{"name":"Zoe"}' });
        const fresh = await send(lab.gateway.url);
        await sleep(1400);
        const get = await send(lab.gateway.url);
        // A POST whose body was streamed is never sent twice; a GET is retried where the profile says so.
        expect(statuses([first, post, fresh, get])).toEqual([200, closed, 200, profile.pooling.retriesIdempotent ? 200 : closed]);
      }));
  });
}
