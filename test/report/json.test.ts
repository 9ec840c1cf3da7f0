import { describe, expect, it } from 'vitest';
import { parseRampReport } from '../../src/report/ramp/read-ramp-report.js';
import { renderJson } from '../../src/report/ramp/json.js';
import { ALL_FIXTURES, gatewayLimitedReport } from './fixtures.js';

/** Rebuilds an object with its keys in reverse order, deeply: same data, different construction. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

describe('json reporter', () => {
  it('writes ramp.json pretty-printed with the documented key order', () => {
    const [file] = renderJson(gatewayLimitedReport());
    expect(file.name).toBe('ramp.json');
    expect(file.content.endsWith('}\n')).toBe(true);
    expect(file.content).toContain('\n  "schemaVersion": 2,\n');
    const parsed = JSON.parse(file.content);
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'meta', 'targets', 'verdict']);
    expect(Object.keys(parsed.targets)).toEqual(['gateway', 'backend']);
    expect(Object.keys(parsed.targets.gateway)).toEqual(['steps', 'breakingPoint', 'lastPassing', 'first502AtRequest', 'underdriven']);
    expect(Object.keys(parsed.targets.gateway.steps[0]).slice(0, 4)).toEqual(['concurrency', 'phase', 'requests', 'status']);
    expect(Object.keys(parsed.targets.gateway.steps[9].status)).toEqual(['200', '502', '504']);
  });

  it('is stable: the same report built in another key order renders byte-identical', () => {
    for (const build of Object.values(ALL_FIXTURES)) {
      const report = build();
      const shuffled = reverseKeys(report) as typeof report;
      expect(renderJson(shuffled)[0].content).toBe(renderJson(report)[0].content);
    }
  });

  it('keeps fields it does not know, after the known ones', () => {
    const report = { ...gatewayLimitedReport(), extra: { note: 'from a newer writer' } };
    const parsed = JSON.parse(renderJson(report)[0].content);
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'meta', 'targets', 'verdict', 'extra']);
  });

  it('round-trips through the validating reader for every fixture', () => {
    for (const [name, build] of Object.entries(ALL_FIXTURES)) {
      const content = renderJson(build())[0].content;
      const reread = parseRampReport(content, `${name}.json`);
      expect(renderJson(reread)[0].content, name).toBe(content);
    }
  });
});
