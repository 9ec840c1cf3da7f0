/** Verdict hints that know the engine: a saturated newman client points to --engine fast, a saturated fast one to a bigger machine. */
import { describe, expect, it } from 'vitest';
import { decideTargetVerdict, summarizeTarget } from '../../src/ramp/index.js';
import { fakeStep } from './helpers.js';

describe('a ramp whose client saturated', () => {
  const held = summarizeTarget([fakeStep(1), fakeStep(2, { cpu: 99 })]);
  it('with newman: ramp with --engine fast', () => {
    const verdict = decideTargetVerdict('gateway', held, { failOn: [502], max: 2, engine: 'newman' });
    expect(verdict.caveats?.join(' ')).toContain('ramp with --engine fast');
  });
  it('with the fast engine: a bigger machine or the distributed export, never --engine fast', () => {
    const verdict = decideTargetVerdict('gateway', held, { failOn: [502], max: 2, engine: 'fast' });
    const caveats = verdict.caveats!.join(' ');
    expect(caveats).toContain('ramp from a bigger machine');
    expect(caveats).toContain('debug502 export --to locust or k6');
    expect(caveats).not.toContain('--engine fast');
  });
});
