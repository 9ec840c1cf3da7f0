/**
 * action.yml, the composite GitHub Action: its inputs and outputs as docs/ci.md documents them, and
 * its run script executed with bash against the built CLI (a ramp --dry-run: nothing is sent).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../generate/helpers.js';

interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; run?: string; env?: Record<string, string> }[] };
}
const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as Action;
const dir = mkdtempSync(join(tmpdir(), 'debug502-action-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('action.yml', () => {
  it('is a composite action with the documented inputs and outputs', () => {
    expect(action.runs.using).toBe('composite');
    for (const input of ['collection', 'environment', 'command', 'target', 'max', 'min-capacity', 'reporters']) expect(action.inputs, input).toHaveProperty(input);
    expect(Object.keys(action.outputs).sort()).toEqual(['breaking_point', 'first_502_request', 'verdict']);
    expect(action.outputs.verdict.value).toBe('${{ steps.debug502.outputs.verdict }}');
    const docs = readFileSync(join(REPO_ROOT, 'docs/ci.md'), 'utf8');
    expect(docs).toContain('uses: ');
    expect(docs).toContain('artifacts:');
  });

  it('its script builds the command line from the inputs and runs the built CLI', () => {
    const step = action.runs.steps.find((s) => s.id === 'debug502')!;
    const script = join(dir, 'step.sh');
    writeFileSync(script, step.run!);
    const output = join(dir, 'github-output');
    writeFileSync(output, '');
    const env = {
      PATH: process.env.PATH ?? '',
      GITHUB_ACTION_PATH: REPO_ROOT,
      D502_COMMAND: 'ramp',
      D502_COLLECTION: join(REPO_ROOT, 'collections/502-debugging.postman_collection.json'),
      D502_ENVIRONMENT: join(REPO_ROOT, 'environments/local.postman_environment.json'),
      D502_TARGET: 'both',
      D502_MAX: '8',
      D502_MIN_CAPACITY: '4',
      D502_REPORTERS: 'json,junit',
      D502_REPORT_DIR: join(dir, 'reports'),
      D502_ARGS: '--dry-run --engine fast',
    };
    const result = spawnSync('bash', ['-eo', 'pipefail', script], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Ramp plan: gateway then backend, concurrency 1 → 2 → 4 → 8, engine fast');
    const bad = spawnSync('bash', ['-eo', 'pipefail', script], { cwd: dir, env: { ...env, D502_COMMAND: 'explode' }, encoding: 'utf8', timeout: 30_000 });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain('::error title=debug502 action::command must be run, ramp or diagnose');
  });
});
