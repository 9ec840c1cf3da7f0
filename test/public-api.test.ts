import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as debug502 from '../src/index.js';

describe('the public API (src/index.ts, the package main)', () => {
  it('exposes each command as a function, and they compose: config → collection with both routes', () => {
    for (const name of ['main', 'generate', 'runCollection', 'runRamp', 'diagnose', 'startLab', 'renderRampReport', 'runDemo'] as const) {
      expect(typeof debug502[name], name).toBe('function');
    }
    const config = debug502.resolveConfig(
      { environments: { ci: { gateway_url: 'http://127.0.0.1:1', backend_url: 'http://127.0.0.1:2' } }, endpoints: [{ name: 'Ping', path: '/ping' }] },
      'inline',
    );
    const collection = debug502.buildCollection(config) as unknown as { item: { name: string }[] };
    expect(collection.item.map((folder) => folder.name)).toEqual([debug502.ROUTE_FOLDER.gateway, debug502.ROUTE_FOLDER.backend]);
  });

  it('reports the version of package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(debug502.VERSION).toBe(pkg.version);
  });
});
