/**
 * Every section of `npm run bench` loads against the build and exports its runner: a module it
 * imports that moved (the log section once imported a dist file that no longer existed) shows here,
 * not as a CRASHED row in a bench run nobody reads until later. Loading runs nothing.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const sectionsDir = new URL('../../bench/sections/', import.meta.url);
const sections = readdirSync(fileURLToPath(sectionsDir)).filter((name) => name.endsWith('.mjs'));

test('the bench has its sections', () => {
  expect(sections.length).toBeGreaterThanOrEqual(7);
});

test.each(sections)('bench/sections/%s loads and exports its run…Section function', async (name) => {
  const module = (await import(new URL(name, sectionsDir).href)) as Record<string, unknown>;
  const runners = Object.entries(module).filter(([key, value]) => /^run\w+Section$/.test(key) && typeof value === 'function');
  expect(runners.map(([key]) => key), `${name} exports ${Object.keys(module).join(', ') || 'nothing'}`).toHaveLength(1);
}, 30_000);
