import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { planGeneratedFiles } from '../../src/generate/index.js';
import { joinChunks } from '../../src/text/chunks.js';
import { REPO_ROOT, expectValidCollection } from './helpers.js';

describe('committed collections/ and environments/', () => {
  it('are exactly what `debug502 generate` makes from debug502.config.yaml', async () => {
    const config = await loadConfig(join(REPO_ROOT, 'debug502.config.yaml'));
    const files = planGeneratedFiles(config, REPO_ROOT);
    expect(files.map((f) => relative(REPO_ROOT, f.path))).toEqual([
      'collections/502-debugging.postman_collection.json',
      'environments/local.postman_environment.json',
    ]);
    // The collection comes as chunks of text (serializeCollection), the environments as strings.
    const textOf = (data: (typeof files)[number]['data']) => joinChunks(data as string | Iterable<string>);
    for (const file of files) {
      const shown = relative(REPO_ROOT, file.path);
      expect(existsSync(file.path), `${shown} is missing: run "npx debug502 generate" and commit it`).toBe(true);
      expect(readFileSync(file.path, 'utf8'), `${shown} has drifted from debug502.config.yaml: run "npx debug502 generate" and commit it`).toBe(textOf(file.data));
    }
    expectValidCollection(JSON.parse(textOf(files[0].data)));
  });
});
