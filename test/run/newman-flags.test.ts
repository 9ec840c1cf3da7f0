/**
 * newman's variable flags on run and ramp, against a real loopback server and real newman:
 * -g/--globals and --global-var (the URLs may live there), -d/--iteration-data (CSV/JSON: one
 * iteration per row in a run; in a ramp each virtual user cycles through the rows).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycleRows } from '../../src/postman/cycle-rows.js';
import { loadIterationData } from '../../src/postman/newman-inputs.js';
import { readRampReport } from '../../src/report/ramp/index.js';
import { useServedWorkspace } from './helpers.js';

const served = useServedWorkspace(201);
const cli = (args: string[]) => served.cli(args);

describe('-d/--iteration-data', () => {
  it('reads CSV with a header row and JSON arrays; a ramp user cycles through the rows from the first', async () => {
    await writeFile(join(served.ws.dir, 'rows.csv'), '\uFEFFuser,token\nada,1\n"bob, jr",2\n');
    expect(await loadIterationData('rows.csv', served.ws.dir)).toEqual([{ user: 'ada', token: '1' }, { user: 'bob, jr', token: '2' }]);
    await writeFile(join(served.ws.dir, 'rows.json'), '[{"user":"ada"},{"user":"bob"},{"user":"cy"}]');
    expect(await loadIterationData('rows.json', served.ws.dir)).toHaveLength(3);
    expect(cycleRows(['a', 'b', 'c'], 5)).toEqual(['a', 'b', 'c', 'a', 'b']);
    await writeFile(join(served.ws.dir, 'bad.json'), '{"user":"ada"}');
    await expect(loadIterationData('bad.json', served.ws.dir)).rejects.toThrow('--iteration-data bad.json: expected a JSON array of objects');
  });

  it('run: one iteration per row unless -n says otherwise', async () => {
    await writeFile(join(served.ws.dir, 'three.json'), '[{"user":"a"},{"user":"b"},{"user":"c"}]');
    const before = served.server.requests.length;
    const { code, err } = await cli(['run', '--collection', served.ws.collection, '-e', served.ws.environment, '-d', 'three.json', '-r', 'json', '--report-dir', 'r1']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(join(served.ws.dir, 'r1', 'run.json'), 'utf8'));
    expect(report.meta.iterations).toBe(3);
    expect(served.server.requests.length - before).toBe(3 * 5);
  });
});

describe('-g/--globals and --global-var', () => {
  it('the URLs may come from globals alone (below the environment, as in newman)', async () => {
    const globals = join(served.ws.dir, 'workspace.postman_globals.json');
    await writeFile(globals, JSON.stringify({ name: 'g', _postman_variable_scope: 'globals', values: [{ key: 'gateway_url', value: served.server.url, enabled: true }] }));
    const { code, err } = await cli(['run', '--collection', served.ws.collection, '-g', globals, '--global-var', `backend_url=${served.server.url}`, '-r', 'json', '--report-dir', 'r2']);
    expect(err).toBe('');
    expect([0, 1]).toContain(code);
    const missing = await cli(['run', '--collection', served.ws.collection, '-g', globals, '-r', 'json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('backend_url: not set');
    const bad = await cli(['run', '--collection', served.ws.collection, '--global-var', 'novalue']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--global-var "novalue": expected key=value');
  });

  it('ramp: -g and -d with newman; with --engine fast they are bad input', async () => {
    await writeFile(join(served.ws.dir, 'two.csv'), 'user\nada\nbob\n');
    const globals = join(served.ws.dir, 'urls.postman_globals.json');
    await writeFile(globals, JSON.stringify({ values: [{ key: 'gateway_url', value: served.server.url }] }));
    const ramp = await cli(['ramp', '--collection', served.ws.collection, '-g', globals, '-d', 'two.csv', '--max', '2', '--requests-per-step', '8', '--report-dir', 'r3', '-r', 'json']);
    expect(ramp.err).toBe('');
    expect(ramp.code).toBe(0);
    const report = await readRampReport(join(served.ws.dir, 'r3', 'ramp.json'));
    // Every step sent its budget; a step whose users did not overlap (an instant server) may be repeated.
    const steps = report.targets.gateway!.steps;
    expect(steps.map((s) => s.concurrency).filter((c, i, all) => all.indexOf(c) === i)).toEqual([1, 2]);
    expect(steps.every((s) => s.requests === 8)).toBe(true);
    const fast = await cli(['ramp', '--collection', served.ws.collection, '-g', globals, '--engine', 'fast', '--dry-run']);
    expect(fast.code).toBe(2);
    expect(fast.err).toContain('--globals, --global-var and --iteration-data need --engine newman');
  });
});

describe('--export-environment / --export-globals', () => {
  /** The generated collection with a test script on every request that sets an environment and a global variable. */
  async function collectionWithScripts(): Promise<string> {
    const collection = JSON.parse(await readFile(served.ws.collection, 'utf8'));
    collection.event = [{ listen: 'test', script: { type: 'text/javascript', exec: ['pm.environment.set("token", "t-" + pm.response.code);', 'pm.globals.set("seen", "yes");'] } }];
    const file = join(served.ws.dir, 'scripted.postman_collection.json');
    await writeFile(file, JSON.stringify(collection));
    return file;
  }

  it('writes the scopes as the run left them, in newman\'s format, which -e and -g read back', async () => {
    const collection = await collectionWithScripts();
    const { code, out } = await cli(['run', '--collection', collection, '-e', served.ws.environment, '--env-var', 'extra=1', '--export-environment', 'out/env.json', '--export-globals', 'out/globals.json', '-r', 'cli']);
    expect(code).toBe(0);
    expect(out).toContain('exported: out/env.json, out/globals.json');
    const env = JSON.parse(await readFile(join(served.ws.dir, 'out', 'env.json'), 'utf8'));
    expect(env._postman_variable_scope).toBe('environment');
    expect(env.name).toBe('lab');
    const values = Object.fromEntries(env.values.map((v: { key: string; value: string }) => [v.key, v.value]));
    expect(values).toMatchObject({ gateway_url: served.server.url, backend_url: served.server.url, extra: '1', token: 't-201' });
    const globals = JSON.parse(await readFile(join(served.ws.dir, 'out', 'globals.json'), 'utf8'));
    expect(globals._postman_variable_scope).toBe('globals');
    expect(globals.values).toEqual([expect.objectContaining({ key: 'seen', value: 'yes' })]);
    // Read back as newman's own files: the run uses them as they are.
    const again = await cli(['run', '--collection', served.ws.collection, '-e', 'out/env.json', '-g', 'out/globals.json', '-r', 'json', '--report-dir', 'r4']);
    expect(again.code).toBe(0);
  });

  it('a target that cannot be written is exit 2 before any request; the same file twice too', async () => {
    await writeFile(join(served.ws.dir, 'a-file'), 'x');
    const before = served.server.requests.length;
    const blocked = await cli(['run', '--collection', served.ws.collection, '-e', served.ws.environment, '--export-environment', 'a-file/env.json']);
    expect(blocked.code).toBe(2);
    expect(blocked.err).toContain('--export-environment');
    const twice = await cli(['run', '--collection', served.ws.collection, '-e', served.ws.environment, '--export-environment', 'x.json', '--export-globals', './x.json']);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('both name x.json');
    expect(served.server.requests.length).toBe(before);
  });
});
