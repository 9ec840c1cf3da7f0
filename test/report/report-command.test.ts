import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { renderRampReport, writeRampReport } from '../../src/report/ramp/index.js';
import { writeReportFiles } from '../../src/report/write-report-files.js';
import { gatewayLimitedReport, interruptedReport } from './fixtures.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'debug502-report-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function run(args: string[]) {
  const io = captureIo({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('debug502 report', () => {
  it('re-renders every format from ramp.json, byte-identical to rendering the report directly', async () => {
    const report = gatewayLimitedReport();
    const [jsonPath] = await writeRampReport(report, join(dir, 'ramp-a'), ['json']);
    const { code, out, err } = await run(['report', '--from', 'ramp-a/ramp.json', '-r', 'html,md,junit,json', '--report-dir', 'out-a']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('breaking point: gateway at concurrency 21, backend none (held up to concurrency 64) — verdict: gateway-limited\n');
    expect(out).toContain(`wrote ${join('out-a', 'ramp.html')}\n`);
    const expected = renderRampReport(report, ['html', 'markdown', 'junit', 'json']);
    expect((await readdir(join(dir, 'out-a'))).sort()).toEqual(expected.map((f) => f.name).sort());
    for (const file of expected) expect(await readFile(join(dir, 'out-a', file.name), 'utf8'), file.name).toBe(file.content);
    expect(await readFile(jsonPath, 'utf8')).toBe(expected.find((f) => f.name === 'ramp.json')!.content);
  });

  it('appends the Markdown to a step summary (GITHUB_STEP_SUMMARY), after what is there, only when md is written', async () => {
    const summary = join(dir, 'step-summary.md');
    await writeFile(summary, 'before\n');
    const report = gatewayLimitedReport();
    const paths = await writeRampReport(report, join(dir, 'ramp-s'), ['json', 'markdown'], { stepSummaryPath: summary });
    await writeRampReport(report, join(dir, 'ramp-s'), ['json'], { stepSummaryPath: summary });
    expect(paths.map((p) => p.slice(p.lastIndexOf('/') + 1))).toEqual(['ramp.json', 'ramp.md']);
    expect(await readFile(summary, 'utf8')).toBe('before\n' + renderRampReport(report, ['markdown'])[0].content);
  });

  it('writes html, md and junit next to --from by default', async () => {
    await writeRampReport(interruptedReport(), join(dir, 'ramp-b'), ['json']);
    const { code } = await run(['report', '--from', join(dir, 'ramp-b', 'ramp.json')]);
    expect(code).toBe(0);
    expect((await readdir(join(dir, 'ramp-b'))).sort()).toEqual(['ramp.html', 'ramp.json', 'ramp.junit.xml', 'ramp.md']);
  });

  it('accepts -r repeated or comma-separated, any case, md for markdown', async () => {
    await writeRampReport(interruptedReport(), join(dir, 'ramp-c'), ['json']);
    const { code, err } = await run(['report', '--from', 'ramp-c/ramp.json', '-r', 'MD', '--reporters', 'junit,markdown', '--report-dir', 'out-c']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect((await readdir(join(dir, 'out-c'))).sort()).toEqual(['ramp.junit.xml', 'ramp.md']);
  });

  it('still takes the old --formats, with a deprecation line; with -r as well it is an error', async () => {
    await writeRampReport(interruptedReport(), join(dir, 'ramp-old'), ['json']);
    const old = await run(['report', '--from', 'ramp-old/ramp.json', '--formats', 'md', '--report-dir', 'out-old']);
    expect(old.code).toBe(0);
    expect(old.err).toMatch(/^warning: --formats is deprecated .*use -r\/--reporters/);
    expect(await readdir(join(dir, 'out-old'))).toEqual(['ramp.md']);
    const both = await run(['report', '--from', 'ramp-old/ramp.json', '--formats', 'md', '-r', 'html']);
    expect(both.code).toBe(2);
    expect(both.err).toContain('--formats and --reporters both given');
  });

  it('--reporter-<name>-export writes that file where asked (a directory: its usual name inside) and turns the reporter on', async () => {
    await writeRampReport(interruptedReport(), join(dir, 'ramp-x'), ['json']);
    const { code, out } = await run(['report', '--from', 'ramp-x/ramp.json', '-r', 'md', '--report-dir', 'out-x',
      '--reporter-junit-export', 'ci/results.xml', '--reporter-md-export', 'summaries/']);
    expect(code).toBe(0);
    expect(out).toContain(`wrote ${join('summaries', 'ramp.md')}\n`);
    expect(out).toContain(`wrote ${join('ci', 'results.xml')}\n`);
    expect(await readFile(join(dir, 'ci', 'results.xml'), 'utf8')).toMatch(/^<\?xml[\s\S]*<testsuites /);
    expect(await readFile(join(dir, 'summaries', 'ramp.md'), 'utf8')).toContain('## ');
    const empty = await run(['report', '--from', 'ramp-x/ramp.json', '--reporter-junit-export', '']);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('--reporter-junit-export: given an empty value');
  });

  it('exits 2 on an unknown format, listing the valid ones, and writes nothing', async () => {
    await writeRampReport(interruptedReport(), join(dir, 'ramp-d'), ['json']);
    const { code, err } = await run(['report', '--from', 'ramp-d/ramp.json', '-r', 'html,pdf,csv']);
    expect(code).toBe(2);
    expect(err).toContain('--reporters: unknown reporters "pdf", "csv"');
    expect(err).toContain('valid reporters: cli, json, html, markdown (or md), junit');
    expect(await readdir(join(dir, 'ramp-d'))).toEqual(['ramp.json']);
  });

  it('exits 2 naming the file and the field when ramp.json is bad', async () => {
    const { code: missing, err: missingErr } = await run(['report', '--from', 'nowhere/ramp.json']);
    expect(missing).toBe(2);
    expect(missingErr).toContain(`${join(dir, 'nowhere', 'ramp.json')}: no such file`);
    const bad = JSON.parse(renderRampReport(interruptedReport(), ['json'])[0].content);
    bad.targets.gateway.steps[0].rate502 = 7;
    await writeFile(join(dir, 'bad.json'), JSON.stringify(bad));
    const { code, err } = await run(['report', '--from', 'bad.json']);
    expect(code).toBe(2);
    expect(err).toContain(`${join(dir, 'bad.json')} is not a valid ramp report (1 problem)`);
    expect(err).toMatch(/ {2}- targets\.gateway\.steps\[0\]\.rate502: /);
  });

  it('exits 2 on a level above the 1,024 virtual users a ramp has (no ramp writes one), naming the fields', async () => {
    const bad = JSON.parse(renderRampReport(interruptedReport(), ['json'])[0].content);
    bad.targets.gateway.steps[0].concurrency = 5000;
    bad.meta.options.max = 5000;
    await writeFile(join(dir, 'users.json'), JSON.stringify(bad));
    const { code, err } = await run(['report', '--from', 'users.json']);
    expect(code).toBe(2);
    expect(err).toContain(`${join(dir, 'users.json')} is not a valid ramp report (2 problems)`);
    expect(err).toContain('meta.options.max: must be at most 1024, the virtual-user cap of a ramp');
    expect(err).toContain('targets.gateway.steps[0].concurrency: must be at most 1024, the virtual-user cap of a ramp');
    bad.targets.gateway.steps[0].concurrency = 1024;
    bad.meta.options.max = 1024;
    await writeFile(join(dir, 'users.json'), JSON.stringify(bad));
    expect((await run(['report', '--from', 'users.json', '--report-dir', 'users-ok'])).err).not.toContain('not a valid ramp report');
  });
});

describe('writeReportFiles', () => {
  it('creates the directory, leaves no temp files and returns absolute paths in order', async () => {
    const target = join(dir, 'nested', 'deeper');
    const paths = await writeReportFiles(target, [{ name: 'b.txt', content: 'B' }, { name: 'a.txt', content: 'A' }]);
    expect(paths).toEqual([join(target, 'b.txt'), join(target, 'a.txt')]);
    expect((await readdir(target)).sort()).toEqual(['a.txt', 'b.txt']);
    await writeReportFiles(target, [{ name: 'a.txt', content: 'A2' }]);
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('A2');
  });

  it('refuses names with a directory part', async () => {
    await expect(writeReportFiles(dir, [{ name: '../escape.txt', content: 'x' }])).rejects.toThrow('bare file name');
    await expect(writeReportFiles(dir, [{ name: 'sub/x.txt', content: 'x' }])).rejects.toThrow('bare file name');
  });
});
