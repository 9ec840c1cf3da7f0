/**
 * Postman's own CLI (npm `postman-cli`, a test-time tool that `.ci/run` installs outside node_modules),
 * for tests that check debug502's output against the real client. Found at `$POSTMAN_CLI` (the
 * binary), else under `$DEBUG502_TOOLS` (default `~/.cache/debug502-tools`), where
 * `npm install --prefix DIR postman-cli` puts it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isExecutable } from '../../src/lab/nginx.js';

/**
 * The native `postman` binary, or null. The npm wrapper (`.bin/postman`) ignores SIGTERM, so a
 * test that must stop a run calls the binary inside `@postman/pm-bin-<platform>` directly.
 */
export function findPostmanCli(env: Record<string, string | undefined> = process.env): string | null {
  if (env.POSTMAN_CLI) return isExecutable(env.POSTMAN_CLI) ? env.POSTMAN_CLI : null;
  const tools = env.DEBUG502_TOOLS ?? join(homedir(), '.cache', 'debug502-tools');
  const scope = join(tools, 'node_modules', '@postman');
  let packages: string[] = [];
  try {
    packages = readdirSync(scope).filter((name) => name.startsWith('pm-bin-'));
  } catch {
    return null;
  }
  return packages.map((name) => join(scope, name, 'bin', process.platform === 'win32' ? 'postman.exe' : 'postman')).find(isExecutable) ?? null;
}

export const POSTMAN_CLI = findPostmanCli();
export const POSTMAN_CLI_SKIP_REASON = 'the Postman CLI is not installed: `bash .ci/run` installs it '
  + '(npm install --prefix ~/.cache/debug502-tools postman-cli@1.34.0), or set POSTMAN_CLI to its binary';
if (!POSTMAN_CLI) console.warn(`skipping the Postman CLI tests: ${POSTMAN_CLI_SKIP_REASON}`);

export interface PostmanCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the Postman CLI with `args` in `cwd`, killed after `timeoutMs`. HOME is a fresh temp dir
 * whose `.postman/postmanrc` says updates were just checked, and the update host points at a dead
 * loopback port: the CLI's only call home (an update check) never leaves the machine, and the
 * user's own Postman login is never read.
 */
export async function runPostmanCli(args: string[], options: { cwd: string; timeoutMs?: number }): Promise<PostmanCliResult> {
  if (!POSTMAN_CLI) throw new Error(POSTMAN_CLI_SKIP_REASON);
  const home = await mkdtemp(join(tmpdir(), 'debug502-postman-home-'));
  mkdirSync(join(home, '.postman'));
  writeFileSync(join(home, '.postman', 'postmanrc'), JSON.stringify({ updates: { updateCheckedTimestamp: Date.now() } }));
  try {
    return await new Promise<PostmanCliResult>((resolve, reject) => {
      const child = spawn(POSTMAN_CLI!, [...args, '--color', 'off'], {
        cwd: options.cwd,
        env: { PATH: process.env.PATH ?? '', HOME: home, ARS_CLI_BASE_URL: 'http://127.0.0.1:9', NO_PROXY: '*', CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk));
      child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** One assertion of a `postman collection run`, from its Newman-shaped JSON report. */
export interface CliAssertion {
  item: string;
  itemId?: string;
  assertion: string;
  passed: boolean;
}

export interface CliRun {
  code: number | null;
  requests: number;
  assertions: CliAssertion[];
  output: string;
}

/**
 * `postman collection run DIR …` of a v3 collection. Its JSON reporter refuses v3 ("not supported
 * for multi-protocol collections"), so the CLI reporter's text is read: `  Pass  NAME` and
 * `  N. NAME` (failed) under each request, and the executed count of the summary's `requests` row.
 */
export async function runV3CollectionWithPostmanCli(target: string, extraArgs: string[], cwd: string): Promise<CliRun> {
  const result = await runPostmanCli(['collection', 'run', target, ...extraArgs, '--timeout-request', '5000', '--disable-unicode'], { cwd });
  const output = result.stdout + result.stderr;
  const assertions: CliAssertion[] = [];
  let item = '';
  for (const line of result.stdout.split('\n')) {
    const sub = /^Sub-folder (.+)$/.exec(line) ?? /^(?:Root|Folder) (.+)$/.exec(line);
    if (sub) item = sub[1].trim();
    const passed = /^ {2}Pass {2}(.+)$/.exec(line);
    const failed = /^ {2}\d+\. (.+)$/.exec(line);
    if (passed || failed) assertions.push({ item, assertion: (passed ?? failed)![1].trim(), passed: Boolean(passed) });
  }
  const requests = /\|\s+requests\s+\|\s+(\d+)\s+\|/.exec(result.stdout);
  if (!requests) throw new Error(`no run summary in the Postman CLI's output (exit ${result.code}): ${output}`);
  return { code: result.code, requests: Number(requests[1]), assertions, output };
}

/**
 * `postman collection run FILE …` of a v2.1 file with the JSON reporter in Newman's structure;
 * returns the exit code, the requests sent and every assertion.
 */
export async function runCollectionWithPostmanCli(target: string, extraArgs: string[], cwd: string): Promise<CliRun> {
  const report = join(cwd, `postman-cli-report-${process.pid}-${Date.now()}.json`);
  const result = await runPostmanCli(['collection', 'run', target, ...extraArgs, '--timeout-request', '5000',
    '-r', 'json', '--reporter-json-structure', 'newman', '--reporter-json-export', report], { cwd });
  let json: { run: { stats: { requests: { total: number } }; executions: { item: { name: string; id?: string }; assertions?: { assertion: string; error?: unknown }[] }[] } };
  try {
    json = JSON.parse(await readFile(report, 'utf8'));
  } catch (error) {
    throw new Error(`the Postman CLI wrote no JSON report (exit ${result.code}): ${result.stdout}\n${result.stderr}`, { cause: error });
  }
  const assertions = json.run.executions.flatMap((execution) => (execution.assertions ?? []).map((a) => ({
    item: execution.item.name,
    itemId: execution.item.id,
    assertion: a.assertion,
    passed: !a.error,
  })));
  return { code: result.code, requests: json.run.stats.requests.total, assertions, output: result.stdout + result.stderr };
}
