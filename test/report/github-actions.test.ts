/**
 * GitHub Actions conventions: `::error` annotations and `$GITHUB_OUTPUT` step outputs, only when
 * GITHUB_ACTIONS=true — pure formatting, then the real commands (report kit, diagnose on dead ports).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { describeRampForGithub, formatAnnotations, formatOutputs, publishToGithubActions } from '../../src/report/github-actions.js';
import { closedPort } from '../diagnose/helpers/sockets.js';
import { writeEnvironment } from '../diagnose/helpers/files.js';
import { gatewayLimitedReport, noBreakingPointReport } from './fixtures.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'debug502-gha-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('workflow commands', () => {
  it('escapes %, CR, LF in messages and also : and , in properties', () => {
    expect(formatAnnotations([{ level: 'error', file: 'a,b:c.json', title: 'T: 1, 2', message: '100% bad\nnext line' }]))
      .toBe('::error file=a%2Cb%3Ac.json,title=T%3A 1%2C 2::100%25 bad%0Anext line\n');
    expect(formatOutputs({ verdict: 'gateway-limited', breaking_point: '21', note: 'a\nb' }))
      .toBe('verdict=gateway-limited\nbreaking_point=21\nnote<<DEBUG502_EOF\na\nb\nDEBUG502_EOF\n');
  });

  it('a ramp: an error per broken target on the collection, outputs breaking_point, verdict, first_502_request', () => {
    const report = gatewayLimitedReport();
    const { annotations, outputs } = describeRampForGithub(report);
    expect(annotations.length).toBeGreaterThanOrEqual(1);
    expect(annotations[0]).toMatchObject({ level: 'error', file: report.meta.collection, title: expect.stringMatching(/^debug502 ramp: through the gateway breaks at concurrency \d+$/) });
    expect(outputs).toEqual({
      breaking_point: String(report.targets.gateway!.breakingPoint!.concurrency),
      verdict: 'gateway-limited',
      first_502_request: String(report.targets.gateway!.first502AtRequest),
    });
    expect(describeRampForGithub(noBreakingPointReport()).outputs).toMatchObject({ breaking_point: '', verdict: 'no-breaking-point' });
  });

  it('prints and appends only when GITHUB_ACTIONS=true', async () => {
    const output = join(dir, 'output-1');
    await writeFile(output, 'earlier=1\n');
    const off = captureIo({ env: { GITHUB_OUTPUT: output } });
    expect(await publishToGithubActions(off, describeRampForGithub(gatewayLimitedReport()))).toBeUndefined();
    expect(off.out).toEqual([]);
    const on = captureIo({ env: { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output } });
    expect(await publishToGithubActions(on, describeRampForGithub(gatewayLimitedReport()))).toBe(output);
    expect(on.out.join('')).toMatch(/^::error file=/);
    expect(await readFile(output, 'utf8')).toMatch(/^earlier=1\nbreaking_point=\d+\nverdict=gateway-limited\nfirst_502_request=\d+\n$/);
  });
});

describe('debug502 diagnose in a GitHub workflow', () => {
  it('annotates each finding and sets the verdict output; --format json stays pure JSON on stdout', async () => {
    const env = writeEnvironment(dir, `http://127.0.0.1:${await closedPort()}`, `http://127.0.0.1:${await closedPort()}`, 'dead');
    const output = join(dir, 'output-2');
    const io = captureIo({ cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output } });
    expect(await main(['diagnose', '-e', env], io)).toBe(1);
    expect(io.out.join('')).toMatch(/^::error title=debug502 diagnose%3A most likely backend-down \(high confidence\)::.+ Next: /m);
    expect(await readFile(output, 'utf8')).toBe('verdict=backend-down\n');
    const json = captureIo({ cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output } });
    expect(await main(['diagnose', '-e', env, '--format', 'json'], json)).toBe(1);
    expect(JSON.parse(json.out.join('')).findings[0].code).toBe('backend-down');
  });
});
