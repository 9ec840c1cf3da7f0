/**
 * The package as npm publishes it: `npm pack` → install the tarball into an empty project →
 * `npx debug502 --help`, `--version` and `npx debug502 demo` there. Catches a `files` list, a bin,
 * templates or a runtime dependency that only the clone has.
 *
 * Opt-in: it takes 100–200 s on 2 cores (the install fetches the dependencies, from npm's cache
 * when it has them, else the registry; the demo ramps the lab), too long for every `npm test`.
 * DEBUG502_PACK_TEST=1 runs it; .ci/run sets it. Needs `npm run build` first (the tarball packs dist/).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../generate/helpers.js';

const run = promisify(execFile);
const SKIP = process.env.DEBUG502_PACK_TEST === '1' ? undefined : 'set DEBUG502_PACK_TEST=1 to run it (100–200 s: npm pack, an install into an empty project, the demo there; .ci/run sets it)';
if (SKIP) console.log(`packed-tarball test skipped: ${SKIP}`);

const dir = mkdtempSync(join(tmpdir(), 'debug502-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command in `cwd` with a bound; resolves stdout and stderr, or rejects with them. */
async function sh(cwd: string, file: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return run(file, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITHUB_OUTPUT: '' } });
}

describe.skipIf(Boolean(SKIP))('the packed tarball', () => {
  it('installs into an empty project and runs --help, --version and the demo there', { timeout: 400_000 }, async () => {
    const version = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
    // --ignore-scripts: dist/ is built already; prepare would only build it again.
    const packed = await sh(REPO_ROOT, 'npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], 120_000);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info.files.map((f) => f.path);
    for (const needed of ['dist/cli/bin.js', 'dist/index.js', 'dist/index.d.ts', 'package.json', 'README.md']) expect(files, needed).toContain(needed);
    expect(files.some((f) => f.startsWith('templates/'))).toBe(true);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('node_modules/'))).toEqual([]);

    const project = join(dir, 'project');
    await sh(dir, 'mkdir', [project], 5_000);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-debug502', version: '1.0.0', private: true }));
    await sh(project, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, info.filename)], 240_000);

    const help = await sh(project, 'npx', ['--no-install', 'debug502', '--help'], 30_000);
    expect(help.stdout).toContain('Usage: debug502 <command> [options]');
    for (const command of ['generate', 'run', 'ramp', 'diagnose', 'demo', 'init']) expect(help.stdout).toContain(`debug502 ${command}`);
    expect((await sh(project, 'npx', ['--no-install', 'debug502', '--version'], 30_000)).stdout.trim()).toBe(version);

    // A small lab: the installed package is under test here, not the demo's defaults (test/demo has those).
    const demo = await sh(project, 'npx', ['--no-install', 'debug502', 'demo', '--capacity', '3', '--max', '8', '--requests-per-step', '40'], 240_000);
    expect(demo.stdout).toMatch(/Breaking point: 4 concurrent requests/);
    for (const file of ['reports/run.json', 'reports/ramp.json', 'reports/ramp.html', 'reports/ramp.junit.xml']) {
      expect(existsSync(join(project, 'demo-output', file)), file).toBe(true);
    }
  });
});
