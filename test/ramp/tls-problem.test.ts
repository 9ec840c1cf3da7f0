/**
 * A gateway whose certificate does not verify (self-signed staging, without -k): every request of
 * the first step fails TLS verification. That is a `tls-problem` stop — never a breaking point.
 */
import { describe, expect, it } from 'vitest';
import { buildCollection } from '../../src/generate/index.js';
import { isTlsErrorCode } from '../../src/engines/tls-errors.js';
import type { RampOptions } from '../../src/model.js';
import { RAMP_DEFAULTS, runRamp, type ExecuteStep } from '../../src/ramp/index.js';
import { makeConfig } from '../generate/helpers.js';
import { fakeStep } from './helpers.js';

const options: RampOptions = { ...RAMP_DEFAULTS, target: 'gateway', start: 1, max: 8, factor: 2, requestsPerStep: 20, failOn: [502], threshold: 0, bisect: true, maxRequests: 10_000, maxDurationMs: 60_000, timeoutRequestMs: 1000 };

describe('tls-problem', () => {
  it('every request failing TLS verification stops the ramp as tls-problem, with no step and no breaking point', async () => {
    let calls = 0;
    const execute: ExecuteStep = async (input) => {
      calls++;
      const step = { ...fakeStep(input.budget.level, { requests: input.budget.requests }), status: {}, transportErrors: { DEPTH_ZERO_SELF_SIGNED_CERT: input.budget.requests }, failures: input.budget.requests, failureRate: 1, failed: true };
      return { result: step, complete: true, answered: input.budget.requests };
    };
    const report = await runRamp({ collection: buildCollection(makeConfig()), options }, { executeStep: execute });
    expect(calls).toBe(1);
    expect(report.meta.aborted?.reason).toBe('tls-problem');
    expect(report.meta.aborted?.message).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT.*-k\/--insecure/);
    expect(report.verdict.code).toBe('inconclusive');
    expect(report.targets.gateway?.breakingPoint ?? null).toBeNull();
    expect(report.targets.gateway?.steps ?? []).toEqual([]);
  });

  it('knows the certificate codes, not the network ones', () => {
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'SELF_SIGNED_CERT_IN_CHAIN']) expect(isTlsErrorCode(code)).toBe(true);
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND']) expect(isTlsErrorCode(code)).toBe(false);
  });
});
