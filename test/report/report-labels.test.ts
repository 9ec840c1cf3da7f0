/**
 * What a report's header says, from real run and ramp commands: the collection's own name (HTML
 * title and heading, Markdown), paths relative to the working directory even when given absolute,
 * and the environment naming the --env-var overrides it got (keys only, never values).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEnvironmentSource } from '../../src/postman/env-var-list.js';
import { useServedWorkspace } from '../run/helpers.js';

const served = useServedWorkspace(201);
const cli = (args: string[]) => served.cli(args);

describe('report headers', () => {
  it('describeEnvironmentSource: the file, the override keys, or both', () => {
    expect(describeEnvironmentSource('e.json', {})).toBe('e.json');
    expect(describeEnvironmentSource(undefined, { gateway_url: 'http://secret@x', backend_url: 'y' })).toBe('--env-var gateway_url, backend_url');
    expect(describeEnvironmentSource('e.json', { token: 'abc' })).toBe('e.json + --env-var token');
    expect(describeEnvironmentSource(undefined, undefined)).toBe('');
  });

  it('ramp: the collection\'s name in the HTML title, relative paths, the overrides named', async () => {
    const { code } = await cli(['ramp', '--collection', served.ws.collection, '--env-var', `gateway_url=${served.server.url}`, '--engine', 'fast', '--max', '2', '--requests-per-step', '6', '--report-dir', 'r', '-r', 'json,html,markdown']);
    expect(code).toBe(0);
    // newman's -r cli,junit means the same on a ramp: the terminal summary (always printed) and the JUnit file.
    const cliJunit = await cli(['ramp', '--collection', served.ws.collection, '--env-var', `gateway_url=${served.server.url}`, '--engine', 'fast', '--max', '2', '--requests-per-step', '6', '--report-dir', 'r5', '-r', 'cli,junit']);
    expect(cliJunit.code).toBe(0);
    expect(cliJunit.out).toMatch(/reports?: r5\/ramp\.junit\.xml/);
    const json = JSON.parse(await readFile(join(served.ws.dir, 'r', 'ramp.json'), 'utf8'));
    expect(json.meta).toMatchObject({ collection: 'collection.json', collectionName: '502 Debugging', environment: '--env-var gateway_url' });
    const html = await readFile(join(served.ws.dir, 'r', 'ramp.html'), 'utf8');
    expect(html).toMatch(/<title>Ramp report: 502 Debugging — [a-z-]+<\/title>/);
    expect(html).toContain('environment --env-var gateway_url');
    expect(html).not.toContain(served.ws.dir);
    expect(await readFile(join(served.ws.dir, 'r', 'ramp.md'), 'utf8')).toContain('502 Debugging (collection.json) · environment --env-var gateway_url');
  });

  it('run: the same in run.json and run.md', async () => {
    const { code } = await cli(['run', '--collection', served.ws.collection, '-e', served.ws.environment, '--env-var', 'max_response_time_ms=4000', '--report-dir', 'r2', '-r', 'json,markdown']);
    expect(code).toBe(0);
    const json = JSON.parse(await readFile(join(served.ws.dir, 'r2', 'run.json'), 'utf8'));
    expect(json.meta).toMatchObject({ collection: 'collection.json', collectionName: '502 Debugging', environment: 'lab.postman_environment.json + --env-var max_response_time_ms' });
    expect(await readFile(join(served.ws.dir, 'r2', 'run.md'), 'utf8')).toContain('502 Debugging (collection.json) · environment lab.postman_environment.json + --env-var max_response_time_ms');
  });
});
