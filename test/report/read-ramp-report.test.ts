import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readRampReport } from '../../src/report/ramp/read-ramp-report.js';
import { renderJson } from '../../src/report/ramp/json.js';
import { singleTargetReport } from './fixtures.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'debug502-read-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function readWith(content: string): Promise<InputError> {
  const path = join(dir, `case-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, content);
  const error = await readRampReport(path).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  const inputError = error as InputError;
  expect(inputError.message).toContain(path);
  expect(inputError.exitCode).toBe(2);
  return inputError;
}

const valid = () => JSON.parse(renderJson(singleTargetReport())[0].content);

describe('readRampReport', () => {
  it('loads a valid ramp.json', async () => {
    const path = join(dir, 'ramp.json');
    await writeFile(path, renderJson(singleTargetReport())[0].content);
    const report = await readRampReport(path);
    expect(report.targets.gateway?.breakingPoint?.concurrency).toBe(7);
    expect(report.targets.gateway?.steps).toHaveLength(6);
  });

  it('names a missing file', async () => {
    const path = join(dir, 'nope.json');
    await expect(readRampReport(path)).rejects.toThrow(`cannot read ramp report ${path}: no such file`);
  });

  it('rejects text that is not JSON, by line and column as the collection errors do', async () => {
    const error = await readWith('{ "schemaVersion": 1, ');
    expect(error.message).toMatch(/\.json: not valid JSON at line 1, column 23: the text ends too early$/);
    // A ramp.json cut off mid-step (a full disk, a copy stopped half-way): the line and column of the end.
    const truncated = await readWith('{\n  "schemaVersion": 2,\n  "targets": {\n    "gateway": { "steps": [ { "level": 1,');
    expect(truncated.message).toMatch(/\.json: not valid JSON at line 4, column 42: the text ends too early$/);
    const broken = await readWith('{\n  "schemaVersion": 2,\n  "meta": ]\n}');
    expect(broken.message).toMatch(/\.json: not valid JSON at line 3, column 11: unexpected "]"$/);
  });

  it('checks schemaVersion first, with an upgrade hint for newer files', async () => {
    const newer = await readWith(JSON.stringify({ ...valid(), schemaVersion: 3 }));
    expect(newer.problems).toEqual(['schemaVersion: expected 1 or 2, found 3']);
    expect(newer.hint).toMatch(/newer debug502/);
    const missing = await readWith(JSON.stringify({ meta: {} }));
    expect(missing.problems).toEqual(['schemaVersion: expected 1 or 2, found missing']);
  });

  it('reads a schemaVersion 1 report (before load models) as a closed-model newman ramp', async () => {
    const old = valid();
    old.schemaVersion = 1;
    delete old.meta.options.mode;
    delete old.meta.options.engine;
    const path = join(dir, 'ramp-v1.json');
    await writeFile(path, JSON.stringify(old));
    const report = await readRampReport(path);
    expect(report.schemaVersion).toBe(2);
    expect(report.meta.options).toMatchObject({ mode: 'concurrency', engine: 'newman' });
    expect(report.targets.gateway?.breakingPoint?.concurrency).toBe(7);
    // A version 1 file that names its engine keeps it.
    old.meta.options.engine = 'fast';
    await writeFile(path, JSON.stringify(old));
    expect((await readRampReport(path)).meta.options.engine).toBe('fast');
  });

  it('names every bad field by its path', async () => {
    const report = valid();
    report.targets.gateway.steps[3].latencyMs.p95 = 'slow';
    report.targets.gateway.steps[1].status['5xx'] = 3;
    delete report.verdict.code;
    const error = await readWith(JSON.stringify(report));
    expect(error.problems).toHaveLength(3);
    expect(error.problems.some((p) => p.startsWith('targets.gateway.steps[3].latencyMs.p95:'))).toBe(true);
    expect(error.problems.some((p) => p.startsWith('targets.gateway.steps[1].status.5xx:'))).toBe(true);
    expect(error.problems.some((p) => p.startsWith('verdict.code:'))).toBe(true);
  });

  it('rejects a report with no target', async () => {
    const error = await readWith(JSON.stringify({ ...valid(), targets: {} }));
    expect(error.problems).toEqual(['targets: names no target: expected "gateway" and/or "backend"']);
  });
});
