/**
 * newman's flags, all accounted for (issue 27, item 6: "the rest get yargs' bare Unknown
 * argument"): the option list is read from the installed newman's own `newman run --help`, and
 * each of its flags is, on run, ramp, diagnose and watch, either taken (the command goes on to its
 * next check) or refused with its reason (exit 2, "<command> does not take --flag", the why and
 * what to do) — never yargs' bare "Unknown argument". A newman upgrade that adds a flag fails here
 * until the flag is decided. Each command's --help names every flag, as an option or in its list
 * of refusals.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { REPO_ROOT } from '../generate/helpers.js';

interface NewmanFlag {
  name: string;
  alias?: string;
  /** The value's placeholder in newman's help (`path`, `n`, `modifiers`); undefined for a bare flag. */
  value?: string;
  /** `[n]`: the value may be left out. */
  optional: boolean;
}

/** The options of `newman run --help`, as the installed newman prints them (commander's layout). */
function readNewmanFlags(): NewmanFlag[] {
  const help = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'newman'), ['run', '--help'], { encoding: 'utf8' }).stdout;
  const flags: NewmanFlag[] = [];
  for (const line of help.split('\n')) {
    const match = /^\s+(?:-(\w)\s*,\s*)?--([a-z][a-z-]*)(?:\s+([<[])([^>\]]+)[>\]])?/.exec(line);
    if (!match || match[2] === 'help') continue;
    flags.push({ name: match[2], ...(match[1] ? { alias: match[1] } : {}), ...(match[4] ? { value: match[4] } : {}), optional: match[3] === '[' });
  }
  return flags;
}

const FLAGS = readNewmanFlags();

/** What each command does with each flag: taken, or refused with a reason. Keep in step with the README's newman-flags paragraph. */
const REFUSED: Record<string, string[]> = {
  run: ['postman-api-key'],
  ramp: ['postman-api-key', 'bail', 'delay-request', 'iteration-count', 'verbose', 'color', 'timeout', 'timeout-script', 'export-environment', 'export-globals', 'export-collection', 'export-cookie-jar'],
  diagnose: ['postman-api-key', 'bail', 'delay-request', 'iteration-count', 'verbose', 'color', 'timeout', 'timeout-script', 'cookie-jar', 'export-environment', 'export-globals', 'export-collection', 'export-cookie-jar'],
  watch: ['postman-api-key', 'bail', 'delay-request', 'iteration-count', 'verbose', 'color', 'timeout', 'timeout-script', 'cookie-jar', 'export-environment', 'export-globals', 'export-collection', 'export-cookie-jar'],
};
const COMMANDS = Object.keys(REFUSED);

/** A value of the kind newman's placeholder names, which parses (files are missing: the command stops at its first check). */
function valueFor(flag: NewmanFlag): string[] {
  if (flag.value === undefined || flag.name === 'bail') return [];
  const values: Record<string, string> = { reporters: 'cli', n: '1000', value: 'k=v', apiKey: 'PMAK-0123', passphrase: 'pw' };
  if (flag.name === 'color') return ['off'];
  return [values[flag.value] ?? 'nope-4711.file'];
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-newman-flags-'));
  await writeFile(join(dir, 'env.json'), JSON.stringify({ name: 'e', values: [{ key: 'gateway_url', value: 'http://127.0.0.1:9' }, { key: 'backend_url', value: 'http://127.0.0.1:9' }] }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The command with `flag` and nothing it could send: run and ramp name a missing collection, diagnose and watch a missing one too. */
async function tryFlag(command: string, flag: string, value: string[]) {
  const io = captureIo({ cwd: dir });
  const start = command === 'run' || command === 'ramp' ? ['missing-collection.json'] : ['--collection', 'missing-collection.json', '-e', 'env.json'];
  const code = await main([command, ...start, flag, ...value], io);
  return { code, text: io.text() };
}

describe("newman's run options", () => {
  it('are read from the installed newman: 33 of them', () => {
    expect(FLAGS.map((f) => f.name)).toContain('ssl-client-cert');
    expect(FLAGS).toHaveLength(33);
  });
});

describe.each(COMMANDS)('%s', (command) => {
  it.each(FLAGS.map((f) => [f.name, f] as const))('--%s: taken or refused with its reason, never "Unknown argument"', async (name, flag) => {
    const { code, text } = await tryFlag(command, `--${name}`, valueFor(flag));
    expect(text).not.toMatch(/Unknown argument/i);
    expect(code, text).toBe(2);
    const option = name.replace(/^no-/, '');
    if (REFUSED[command].includes(option)) {
      expect(text).toContain(`${command} does not take --${option}`);
      expect(text).toMatch(new RegExp(`--${option}: \\S.{20,}`));
      expect(text).toMatch(/hint: \S/);
    } else {
      expect(text).not.toMatch(/does not take/);
    }
  });

  it("newman's short forms are the same: -e, -g, -d, -k, -x, -r (and -n where it is taken)", async () => {
    for (const flag of FLAGS.filter((f) => f.alias)) {
      const { text } = await tryFlag(command, `-${flag.alias}`, valueFor(flag));
      expect(text, `-${flag.alias}`).not.toMatch(/Unknown argument/i);
    }
  });

  it('--help names every one of them, as an option or among the refused', async () => {
    const io = captureIo({ cwd: dir });
    expect(await main([command, '--help'], io)).toBe(0);
    for (const flag of FLAGS) expect(io.text(), flag.name).toContain(`--${flag.name.replace(/^no-/, '')}`);
  });
});

describe('one value where newman takes one', () => {
  it.each(COMMANDS)('%s -e a.json -e b.json: exit 2 naming both, nothing read', async (command) => {
    const io = captureIo({ cwd: dir });
    const start = command === 'run' || command === 'ramp' ? ['c.json'] : [];
    const code = await main([command, ...start, '-e', 'a.json', '-e', 'b.json'], io);
    expect(code).toBe(2);
    expect(io.text()).toMatch(/--environment given 2 times \("a\.json", "b\.json"\): it takes one/);
    expect(io.text()).not.toMatch(/TypeError|at .*\.js:\d+/);
  });

  it('export takes -e as newman does', async () => {
    const io = captureIo({ cwd: dir });
    expect(await main(['export', 'missing-collection.json', '--to', 'k6', '-e', 'env.json', '--out', join(dir, 'k6')], io)).toBe(2);
    expect(io.text()).toMatch(/missing-collection\.json/);
    expect(io.text()).not.toMatch(/Unknown argument/);
  });
});

describe('a secret given twice is not repeated back', () => {
  it('--ssl-client-passphrase twice: exit 2, neither value in the message', async () => {
    const io = captureIo({ cwd: dir });
    const code = await main(['run', 'c.json', '--ssl-client-passphrase', 'first-secret-11', '--ssl-client-passphrase', 'second-secret-22'], io);
    expect(code).toBe(2);
    expect(io.text()).toMatch(/--ssl-client-passphrase given 2 times: it takes one/);
    expect(io.text()).not.toMatch(/secret-11|secret-22/);
  });
});
