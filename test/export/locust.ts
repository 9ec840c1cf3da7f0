/** Finding a runnable Locust for the tests, and running processes with a bound on time. */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RampReport, TargetResult } from '../../src/model.js';

export interface FoundLocust {
  bin: string;
  /** The Python that runs it (its shebang): `import locust` works there. */
  python: string;
}

/**
 * Locust from $LOCUST_BIN, Debian's /usr/bin/locust, or `locust` on PATH — whichever answers
 * `--version`. On this machine `python3` on PATH may be another Python without Locust, so the
 * Python is the one named in the script's shebang. Returns the reason when there is none.
 */
export function findLocust(env = process.env): FoundLocust | { missing: string } {
  const candidates = [env.LOCUST_BIN, '/usr/bin/locust', 'locust'].filter((c): c is string => Boolean(c));
  for (const bin of candidates) {
    const run = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    if (run.status !== 0) continue;
    const python = pythonOf(bin);
    if (python && spawnSync(python, ['-c', 'import locust'], { timeout: 30_000 }).status === 0) return { bin, python };
  }
  return { missing: 'Locust is not installed (apt-get install python3-locust, or pip install locust; $LOCUST_BIN names another); .ci/run installs it' };
}

function pythonOf(bin: string): string | undefined {
  const which = bin.includes('/') ? bin : spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).stdout.trim();
  if (!which) return undefined;
  const line = readFileSync(which, 'utf8').split('\n', 1)[0];
  const match = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(line);
  if (!match) return undefined;
  return match[1].endsWith('/env') ? match[2] : match[1];
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

/** Runs a command to its end, killed after `timeoutMs`; stdout and stderr together. */
export function runBounded(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

/**
 * Reads DIR/ramp.json of an imported Locust run that should end at `expected` (±1: steps are
 * judged on a few seconds): a breaking point, a lower last passing level, Locust as the source.
 */
export async function expectLocustBreakingPoint(reportDir: string, expected: number): Promise<{ report: RampReport; gateway: TargetResult }> {
  const report = JSON.parse(await readFile(join(reportDir, 'ramp.json'), 'utf8')) as RampReport;
  const gateway = report.targets.gateway!;
  expect(Math.abs(gateway.breakingPoint!.concurrency - expected)).toBeLessThanOrEqual(1);
  expect(gateway.lastPassing!.concurrency).toBeLessThan(gateway.breakingPoint!.concurrency);
  expect(report.verdict.code).toBe('breaking-point');
  expect(report.meta.source?.tool).toBe('locust');
  return { report, gateway };
}
