/**
 * Issue 29, item 6: under GITHUB_ACTIONS=true no user text — an item name, a collection name, an
 * option quoted in an error — is read by the runner as a workflow command (`::error …`,
 * `::add-mask::`, `::stop-commands::`, `##[…]`), however it is split over writes; debug502's own
 * annotations still are, their data and properties escaped as GitHub documents.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { formatAnnotations } from '../../src/report/github-actions.js';
import { createWorkflowCommandGuard } from '../../src/text/workflow-commands.js';
import { startHostileServer, type HostileServer } from './servers.js';

/** Lines as the runner reads them: split at CR, LF and CRLF. */
const linesOf = (text: string) => text.split(/\r\n|\r|\n/);
/** What the runner would run: a line starting with `::` after white space (TryParseV2), or `##[` anywhere (TryParse). */
const commandLines = (text: string) => linesOf(text).filter((line) => /^\s*::/.test(line) || line.includes('##['));
/** debug502's own: an annotation whose properties hold no raw `:` (escaped as %3A). */
const OWN = /^::(error|warning|notice) [^:\r\n]*::/;

describe('the guard of one stream', () => {
  test('a command at a line start, after white space or a CR, split over writes, or ##[ anywhere is split by a space', () => {
    const guard = createWorkflowCommandGuard();
    const chunks = ['ok\n', ':', ':error::one\n', '  ::add-mask::two', '\r::warning::three\n', 'x #', '#[error]four', '\n\t', ':', '', ':stop-commands::T\n', '::'];
    const out = chunks.map(guard.text).join('');
    expect(commandLines(out)).toEqual([]);
    expect(out).toBe('ok\n: :error::one\n  : :add-mask::two\r: :warning::three\nx ## [error]four\n\t: :stop-commands::T\n: :');
    // Text that only looks near a command is left as it is.
    const plain = createWorkflowCommandGuard();
    expect(['a::b ', '#[x] ## [y]', ' :x:\n'].map(plain.text).join('')).toBe('a::b #[x] ## [y] :x:\n');
  });

  test('own commands pass on a line of their own; anything else handed in as one is neutralised', () => {
    const guard = createWorkflowCommandGuard();
    const annotation = formatAnnotations([{ level: 'error', file: 'c.json', title: 'debug502 run: a,b::c %', message: 'line1\nline2 ##[x] 100%' }]);
    expect(annotation).toBe('::error file=c.json,title=debug502 run%3A a%2Cb%3A%3Ac %25::line1%0Aline2 ##[x] 100%25\n');
    const out = guard.text('partial') + guard.commands(annotation) + guard.commands('::add-mask::x\n') + guard.text('::after\n');
    expect(out).toBe('partial\n::error file=c.json,title=debug502 run%3A a%2Cb%3A%3Ac %25::line1%0Aline2 ## [x] 100%25\n: :add-mask::x\n: :after\n');
  });
});

describe('hostile item names through the CLI under GITHUB_ACTIONS=true', () => {
  const HOSTILE = ['::error title=pwned::injected', '::add-mask::debug502', '::stop-commands::TOKEN42', '  ::warning::indented', 'x ##[error]v1 command', 'two\n::notice::lines', 'odd,name:100%'];
  let server: HostileServer;
  let dir: string;
  beforeAll(async () => {
    server = await startHostileServer('bad-gateway');
    dir = await mkdtemp(join(tmpdir(), 'debug502-workflow-'));
    const folder = (route: string, name: string) => ({ name, item: HOSTILE.map((item, i) => ({ name: item, request: { method: 'GET', url: `{{${route}}}/p${i}` } })) });
    const collection = { info: { name: '::error::collection name', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [folder('gateway_url', 'Through gateway'), folder('backend_url', 'Direct to backend')] };
    await writeFile(join(dir, 'c.json'), JSON.stringify(collection));
    await writeFile(join(dir, 'e.json'), JSON.stringify({ name: 'e', values: [{ key: 'gateway_url', value: server.url }, { key: 'backend_url', value: server.url }] }));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function runCli(argv: string[], env: Record<string, string> = { GITHUB_ACTIONS: 'true' }) {
    const io = captureIo({ cwd: dir, env });
    const code = await main(argv, io);
    return { code, out: io.out.join(''), err: io.err.join('') };
  }

  test('run: one escaped annotation per endpoint, no other command', async () => {
    const { code, out, err } = await runCli(['run', 'c.json', '-e', 'e.json', '-r', 'cli']);
    expect(code).toBe(1);
    expect(commandLines(err)).toEqual([]);
    const commands = commandLines(out);
    // ::stop-commands:: did not switch them off: every endpoint that failed is annotated.
    expect(commands).toHaveLength(HOSTILE.length);
    for (const line of commands) expect(line).toMatch(OWN);
    expect(commands[0]).toContain('title=debug502 run%3A %3A%3Aerror title=pwned%3A%3Ainjected — backend-error::');
    expect(commands.find((line) => line.includes('odd'))).toContain('title=debug502 run%3A odd%2Cname%3A100%25 — backend-error::');
    // The names are still shown, with a space between the colons.
    expect(out).toContain(': :error title=pwned::injected');
  }, 60_000);

  test('ramp, diagnose and watch: only their own annotations', async () => {
    for (const argv of [
      ['ramp', 'c.json', '-e', 'e.json', '--max', '1', '--requests-per-step', String(HOSTILE.length), '-r', 'json', '--report-dir', 'out-ramp'],
      ['diagnose', '-e', 'e.json', '--collection', 'c.json', '--no-keepalive-probe'],
      ['watch', '-e', 'e.json', '--collection', 'c.json', '--rate', '7', '--duration', '1s', '--window', '1s', '--arrivals', 'uniform', '-r', 'cli'],
    ]) {
      const { out, err } = await runCli(argv);
      expect(commandLines(err), argv[0]).toEqual([]);
      for (const line of commandLines(out)) expect(line, argv[0]).toMatch(OWN);
      expect(commandLines(out).length, argv[0]).toBeLessThanOrEqual(2);
    }
  }, 60_000);

  test('an error quoting user text on stderr is neutralised too', async () => {
    const { code, err } = await runCli(['run', 'c.json', '-e', 'e.json', '--folder', '::error::no such folder']);
    expect(code).toBe(2);
    expect(err).toContain('no such folder');
    expect(commandLines(err)).toEqual([]);
  });

  test('outside GitHub Actions the names are printed as they are', async () => {
    const { out } = await runCli(['run', 'c.json', '-e', 'e.json', '-r', 'cli'], {});
    expect(out).toContain('::error title=pwned::injected');
    expect(out).not.toContain('::error file=');
  }, 60_000);
});
