/**
 * Issue 29, critical 4: the bounds of src/fs/read-input.ts (no thread waiting on a FIFO, devices
 * refused, a size limit per kind) hold only if every input file comes in through it. A module that
 * imports one of node:fs's reading functions is a new way in, and fails here — unless it reads
 * debug502's own files (templates, package.json, newman's boot code) or the lab's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from './processes.js';

const READERS = new Set(['readFile', 'readFileSync', 'createReadStream', 'open', 'openSync', 'read', 'readSync', 'readv', 'readvSync', 'openAsBlob']);

/** Modules that read files debug502 ships or makes itself, never a user's input. */
const OWN_FILES = new Set([
  'src/fs/read-input.ts', // the way in
  'src/version.ts', // package.json
  'src/report/templates.ts', // templates/
  'src/export/templates.ts',
  'src/generate/render-templates.ts',
  'src/engines/sandbox-bootcode.ts', // postman-sandbox's boot code in node_modules
]);

/** Modules that open a file only to write to it (never to read what is in it). */
const WRITE_ONLY_OPENERS = new Set([
  'src/fs/check-output.ts', // a zero-byte write probe (O_WRONLY | O_APPEND): /dev/full refuses it
]);

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listSources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

it('no module but src/fs/read-input.ts reads a user\'s file with node:fs', () => {
  const offenders: string[] = [];
  const sources = listSources(join(REPO, 'src'));
  for (const file of sources) {
    const name = relative(REPO, file);
    if (OWN_FILES.has(name) || name.startsWith('src/lab/')) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/import\s+(?:type\s+)?(\{[^}]*\}|\*\s+as\s+\w+|\w+)\s+from\s+'(?:node:)?fs(?:\/promises)?'/g)) {
      if (!match[1].startsWith('{')) offenders.push(`${name}: imports all of fs (${match[1]})`);
      const names = match[1].slice(1, -1).split(',').map((part) => part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]);
      for (const imported of names) {
        if (imported === 'open' && WRITE_ONLY_OPENERS.has(name) && !/open\([^)]*O_RDONLY|open\([^)]*O_RDWR|open\([^)]*'r'/.test(text)) continue;
        if (READERS.has(imported)) offenders.push(`${name}: imports ${imported}`);
      }
    }
    if (/require\(\s*'(?:node:)?fs(?:\/promises)?'\s*\)/.test(text)) offenders.push(`${name}: requires fs`);
  }
  expect(sources.length).toBeGreaterThan(100);
  expect(offenders).toEqual([]);
});
