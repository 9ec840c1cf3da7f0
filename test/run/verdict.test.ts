import { describe, expect, test } from 'vitest';
import type { RouteObservation, RunVerdictCode } from '../../src/model.js';
import { classifyTransportError } from '../../src/run/classify.js';
import { decideVerdict, VERDICT_RULES } from '../../src/run/verdict.js';

const LIMIT_MS = 5000;
const answered = (status: number, latencyMs = 20, failedTests: string[] = []): RouteObservation => ({ status, latencyMs, failedTests, requests: 1 });
const failed = (error: string, errorMessage?: string, latencyMs = 3): RouteObservation => ({ error, errorMessage, latencyMs, failedTests: ['Response under 5 seconds'], requests: 1 });
const code = (g?: RouteObservation, b?: RouteObservation) => decideVerdict(g, b, LIMIT_MS).code;

describe('decideVerdict: issue 4 verdict table', () => {
  const cases: [string, RouteObservation | undefined, RouteObservation | undefined, RunVerdictCode][] = [
    ['both answer 200 in time', answered(200), answered(200), 'ok'],
    ['a 404 on both sides is no 502 and in time', answered(404), answered(404), 'ok'],
    ['gateway 502, backend answers 200 directly', answered(502), answered(200), 'gateway-misconfigured'],
    ['gateway 502, backend answers 404 directly (gateway rule)', answered(502), answered(404), 'gateway-misconfigured'],
    ['gateway 500 while backend answers 200', answered(500), answered(200), 'gateway-misconfigured'],
    ['gateway never answers while backend answers fast', failed('ESOCKETTIMEDOUT'), answered(200), 'gateway-misconfigured'],
    ['gateway slow while backend is fast', answered(200, 6000), answered(200, 30), 'gateway-misconfigured'],
    ['gateway 502, backend refuses', answered(502), failed('ECONNREFUSED'), 'backend-down'],
    ['gateway 502, backend hangs up (crash mid-request)', answered(502), failed('ECONNRESET', 'socket hang up'), 'backend-down'],
    ['gateway 502, backend resets', answered(502), failed('ECONNRESET', 'read ECONNRESET'), 'backend-down'],
    ['gateway 502, backend host does not resolve', answered(502), failed('ENOTFOUND'), 'backend-unresolvable'],
    ['gateway 502, backend DNS temporary failure', answered(502), failed('EAI_AGAIN'), 'backend-unresolvable'],
    ['gateway 502, backend connect timeout', answered(502), failed('ETIMEDOUT'), 'backend-unreachable'],
    ['gateway 502, backend no route', answered(502), failed('EHOSTUNREACH'), 'backend-unreachable'],
    ['gateway 502, backend network unreachable', answered(502), failed('ENETUNREACH'), 'backend-unreachable'],
    ['gateway 502, backend malformed header', answered(502), failed('HPE_INVALID_HEADER_TOKEN'), 'backend-invalid-response'],
    ['gateway 502, backend not HTTP', answered(502), failed('HPE_INVALID_CONSTANT'), 'backend-invalid-response'],
    ['gateway 504', answered(504), answered(200, 7000), 'backend-timeout'],
    ['gateway 504 even with a fast direct answer', answered(504), answered(200), 'backend-timeout'],
    ['backend slower than the limit', answered(200, 5100), answered(200, 5050), 'backend-timeout'],
    ['backend exactly at the limit (the test is "below")', answered(200), answered(200, 5000), 'backend-timeout'],
    ['backend no answer within the request timeout', answered(502), failed('ESOCKETTIMEDOUT', undefined, 10000), 'backend-timeout'],
    ['gateway slow because the backend is', answered(200, 5200), answered(200, 4900), 'backend-timeout'],
    ['backend 500 passed through', answered(500), answered(500), 'backend-error'],
    ['backend itself answers 502 (a proxy too)', answered(502), answered(502), 'backend-error'],
    ['gateway 503', answered(503), answered(200), 'service-unavailable'],
    ['backend 503 passed through', answered(503), answered(503), 'service-unavailable'],
    ['gateway refuses', failed('ECONNREFUSED'), answered(200), 'gateway-unreachable'],
    ['gateway host does not resolve', failed('ENOTFOUND'), answered(200), 'gateway-unreachable'],
    ['gateway connect timeout', failed('ETIMEDOUT'), answered(200), 'gateway-unreachable'],
    ['gateway TLS failure', failed('DEPTH_ZERO_SELF_SIGNED_CERT'), answered(200), 'gateway-unreachable'],
    ['gateway unreachable hides a dead backend', failed('ECONNREFUSED'), failed('ECONNREFUSED'), 'gateway-unreachable'],
    // One side only (a health request, or a collection without twins).
    ['backend-only health request answers', undefined, answered(200), 'ok'],
    ['backend-only request refused', undefined, failed('ECONNREFUSED'), 'backend-down'],
    ['gateway-only 200', answered(200), undefined, 'ok'],
    ['gateway-only 502: the most common cause', answered(502), undefined, 'backend-down'],
    ['gateway-only 500', answered(500), undefined, 'backend-error'],
    ['gateway-only no answer in time', failed('ESOCKETTIMEDOUT'), undefined, 'backend-timeout'],
    ['gateway-only malformed answer', failed('HPE_INVALID_HEADER_TOKEN'), undefined, 'backend-invalid-response'],
    // The gateway answers but backend_url is wrong: the backend side's code, with a note.
    ['gateway 200, backend refuses', answered(200), failed('ECONNREFUSED'), 'backend-down'],
  ];
  test.each(cases)('%s', (_title, gateway, backend, expected) => {
    expect(code(gateway, backend)).toBe(expected);
  });

  test('every verdict code is produced by some case', () => {
    const produced = new Set(cases.map((c) => c[3]));
    expect([...produced].sort()).toEqual([...new Set(VERDICT_RULES.map((r) => r.code))].sort());
    expect(produced.size).toBe(10);
  });
});

describe('verdict words', () => {
  test('a not-ok verdict carries the guide\'s next step with the URLs filled in', () => {
    const verdict = decideVerdict(answered(502), failed('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'), LIMIT_MS, { backendUrl: 'http://127.0.0.1:9' });
    expect(verdict.message).toContain('refuses connections');
    expect(verdict.message).toContain('ECONNREFUSED');
    expect(verdict.next).toContain('curl http://127.0.0.1:9/health');
  });

  test('ok has no next step but mentions failed tests', () => {
    const verdict = decideVerdict(answered(404, 20, ['Status is 200']), answered(404), LIMIT_MS);
    expect(verdict.next).toBeUndefined();
    expect(verdict.message).toContain('but test(s) failed: Status is 200');
  });

  test('504 and 502 read differently, as in the guide', () => {
    expect(decideVerdict(answered(504), answered(200, 7000), LIMIT_MS).message).toContain('timed out waiting for the backend (504)');
    expect(decideVerdict(answered(502), answered(200), LIMIT_MS).message).toContain('the problem sits in the gateway');
  });

  test('a healthy gateway with a refusing backend hints that backend_url is not the upstream', () => {
    expect(decideVerdict(answered(200), failed('ECONNREFUSED'), LIMIT_MS).message).toContain('so the backend went down during the run, or backend_url does not point where the gateway forwards to');
  });

  test.each(['ENOTFOUND', 'EAI_AGAIN'])('a healthy gateway with a backend name that does not resolve here (%s): the resolvers differ, nothing "went down"', (code) => {
    const verdict = decideVerdict(answered(200), failed(code), LIMIT_MS);
    expect(verdict.code).toBe('backend-unresolvable');
    expect(verdict.message).toContain('so the gateway resolves its upstream differently: backend_url\'s host does not resolve from here (check the name in backend_url and the resolver here');
    expect(verdict.message).not.toContain('went down');
  });

  test('a healthy gateway with a backend unreachable from here: a firewall or route on this side, nothing "went down"', () => {
    const verdict = decideVerdict(answered(200), failed('EHOSTUNREACH'), LIMIT_MS);
    expect(verdict.code).toBe('backend-unreachable');
    expect(verdict.message).toContain('a firewall or route between here and the backend');
    expect(verdict.message).not.toContain('went down');
  });
});

describe('classifyTransportError', () => {
  test.each([
    ['ECONNREFUSED', 'refused'], ['ENOTFOUND', 'unresolvable'], ['EAI_AGAIN', 'unresolvable'], ['ETIMEDOUT', 'unreachable'],
    ['EHOSTUNREACH', 'unreachable'], ['ESOCKETTIMEDOUT', 'timeout'], ['HPE_INVALID_STATUS', 'malformed'], ['ECONNRESET', 'closed'],
    ['EPIPE', 'closed'], ['CERT_HAS_EXPIRED', 'transport-other'],
  ])('%s → %s', (error, kind) => expect(classifyTransportError(error)).toBe(kind));
});

describe('notes on ok verdicts', () => {
  test('a gateway answering another status class than the backend is noted, still ok', () => {
    const verdict = decideVerdict(answered(404), answered(200), LIMIT_MS);
    expect(verdict.code).toBe('ok');
    expect(verdict.message).toContain("the gateway answered 404 where the backend answered 200; check the gateway's rule for this path");
    expect(decideVerdict(answered(201), answered(200), LIMIT_MS).message).not.toContain('note:');
  });
});
