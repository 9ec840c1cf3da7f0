/**
 * Issue 29 major 7 and issue 27 item 9: a v3 collection directory reads nothing outside itself.
 * A file body or form-data file outside it (`../`, absolute) is refused before anything is sent,
 * newman's `--working-dir` / `--no-insecure-file-read` with the v3 default "inside only";
 * symbolic links that lead outside (a request file, a folder, the definition — to a secret file or
 * /proc/self/environ) are refused by name, never followed and never skipped unsaid; links inside are
 * followed. The secret outside is never printed and never reaches the recording loopback server.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { startTinyServer, type TinyServer } from '../generate/helpers.js';
import { pairedCollectionJson, runCliIn } from './inputs.js';
import { BIN } from './processes.js';

const SECRET = 'TOPSECRET-4711-outside';
let dir: string;
let work: string;
let server: TinyServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-confine-'));
  work = join(dir, 'work');
  await mkdir(work);
  await writeFile(join(dir, 'outside-secret.txt'), `${SECRET}\n`);
  await writeFile(join(dir, 'outside-data.txt'), 'shared-outside-data\n');
  server = await startTinyServer();
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Files = Record<string, string>;

/** A v3 debug502 pair under work/NAME: one request per route folder, with `body` (YAML lines under `body:`), and `extra` files. */
async function writeV3(name: string, body: string | undefined, extra: Files = {}): Promise<string> {
  const root = join(work, name);
  const files: Files = { '.resources/definition.yaml': `$kind: collection\nname: ${name}\n` };
  for (const [folder, variable] of [['Through gateway', 'gateway_url'], ['Direct to backend', 'backend_url']]) {
    files[`${folder}/Upload.request.yaml`] = `$kind: http-request\nurl: "{{${variable}}}/upload"\nmethod: POST\n${body ? `body:\n${body}` : ''}`;
  }
  for (const [path, text] of Object.entries({ ...files, ...extra })) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const FILE_BODY = (src: string) => `  type: file\n  content:\n    src: ${JSON.stringify(src)}\n`;
const FORM_FILE = (src: string) => `  type: formdata\n  content:\n    - key: upload\n      type: file\n      src: ${JSON.stringify(src)}\n`;

const cli = (argv: string[]) => runCliIn(work, argv);

const env = () => ['--env-var', `gateway_url=${server.url}`, '--env-var', `backend_url=${server.url}`];
const bodies = () => server.requests.map((r) => r.body).join('\n');

describe('file bodies and form-data files outside a v3 directory are refused by default', () => {
  test.each([
    ['a body "../../outside-secret.txt"', () => FILE_BODY('../../outside-secret.txt'), () => '../../outside-secret.txt'],
    ['an absolute form-data file', () => FORM_FILE(join(dir, 'outside-secret.txt')), () => join(dir, 'outside-secret.txt')],
  ])('%s: run, ramp, diagnose and watch exit 2, nothing sent, the secret nowhere', async (name, body, src) => {
    const shown = src();
    const root = await writeV3(`refused-${name.length}`, body());
    const before = server.requests.length;
    for (const argv of [
      ['run', root, ...env(), '--report-dir', 'out'],
      ['ramp', root, ...env(), '--dry-run'],
      ['diagnose', '--collection', root, ...env(), '--unsafe-methods'],
      ['watch', '--collection', root, ...env(), '--duration', '1s'],
    ]) {
      const { code, text } = await cli(argv);
      expect(text, argv[0]).toContain(`Through gateway / Upload: ${body().includes('formdata') ? 'form-data "upload"' : 'body'}: "${shown}" is outside the working directory ${root}`);
      expect(text, argv[0]).toContain('--insecure-file-read');
      expect(code, argv[0]).toBe(2);
      expect(text).not.toContain(SECRET);
    }
    expect(server.requests.length).toBe(before);
    expect(bodies()).not.toContain(SECRET);
  }, 60_000);

  it('a body file inside the collection is sent, read from the collection\'s directory wherever run starts', async () => {
    const root = await writeV3('inside', FILE_BODY('payloads/order.json'), { 'payloads/order.json': '{"order":42}' });
    const before = server.requests.length;
    const { code, text } = await cli(['run', root, ...env(), '--report-dir', 'out-inside']);
    expect(code, text).toBe(0);
    expect(server.requests.slice(before).map((r) => r.body)).toEqual(['{"order":42}', '{"order":42}']);
  }, 30_000);

  it('--working-dir moves where relative paths start (inside it they are read); --insecure-file-read allows outside', async () => {
    await mkdir(join(work, 'shared'), { recursive: true });
    await writeFile(join(work, 'shared', 'data.txt'), 'from-shared');
    const root = await writeV3('working-dir', FILE_BODY('data.txt'));
    let before = server.requests.length;
    expect((await cli(['run', root, ...env(), '--working-dir', 'shared', '--report-dir', 'out-wd'])).code).toBe(0);
    expect(server.requests.slice(before).map((r) => r.body)).toEqual(['from-shared', 'from-shared']);

    const outside = await writeV3('allowed', FILE_BODY('../../outside-data.txt'));
    before = server.requests.length;
    expect((await cli(['run', outside, ...env(), '--report-dir', 'out-allowed'])).code).toBe(2);
    const allowed = await cli(['run', outside, ...env(), '--insecure-file-read', '--report-dir', 'out-allowed']);
    expect(allowed.code, allowed.text).toBe(0);
    expect(server.requests.slice(before).map((r) => r.body)).toEqual(['shared-outside-data\n', 'shared-outside-data\n']);
  }, 30_000);

  it('a body file inside the directory that is a symbolic link out is outside (newman compares only the path)', async () => {
    const root = await writeV3('linked-body', FILE_BODY('payload.txt'));
    await symlink(join(dir, 'outside-secret.txt'), join(root, 'payload.txt'));
    const before = server.requests.length;
    const { code, text } = await cli(['run', root, ...env(), '--report-dir', 'out-linked']);
    expect(code).toBe(2);
    expect(text).toContain(`"payload.txt" (a symbolic link to ${join(dir, 'outside-secret.txt')}) is outside the working directory ${root}`);
    expect(text).not.toContain(SECRET);
    expect(server.requests.length).toBe(before);
  });
});

describe('symbolic links in a v3 directory: inside followed, outside refused by name, never read', () => {
  it('the definition, a request file and a folder leading outside, a loop and a dangling link: each a problem', async () => {
    const root = await writeV3('links', undefined);
    await rm(join(root, '.resources', 'definition.yaml'));
    // A YAML scalar: the old reader quoted its first 40 characters ("found \"TOPSECRET…\"").
    await symlink(join(dir, 'outside-secret.txt'), join(root, '.resources', 'definition.yaml'));
    await symlink(join(dir, 'outside-secret.txt'), join(root, 'Through gateway', 'Leak.request.yaml'));
    await mkdir(join(dir, 'elsewhere'), { recursive: true });
    await writeFile(join(dir, 'elsewhere', 'Steal.request.yaml'), `$kind: http-request\nurl: "{{gateway_url}}/${SECRET}"\n`);
    await symlink(join(dir, 'elsewhere'), join(root, 'Elsewhere'));
    await symlink('..', join(root, 'Through gateway', 'Loop'));
    await symlink(join(dir, 'nothing-here'), join(root, 'Dangling.request.yaml'));
    const before = server.requests.length;
    const { code, text } = await cli(['run', root, ...env()]);
    expect(code).toBe(2);
    expect(text).toContain('links: not a valid v3 collection (5 problems)');
    expect(text).toContain(`links/.resources/definition.yaml: leads through a symbolic link to ${join(dir, 'outside-secret.txt')}, outside the collection directory: not followed`);
    expect(text).toContain(`links/Through gateway/Leak.request.yaml: leads through a symbolic link to ${join(dir, 'outside-secret.txt')}`);
    expect(text).toContain(`links/Elsewhere: leads through a symbolic link to ${join(dir, 'elsewhere')}`);
    expect(text).toContain('links/Through gateway/Loop: a symbolic link back to links, a folder it is in: not followed (a loop)');
    expect(text).toContain('links/Dangling.request.yaml: a symbolic link to nothing');
    expect(text).not.toContain(SECRET);
    expect(server.requests.length).toBe(before);
  });

  it('links that stay inside are followed: a linked request file and a linked folder are sent', async () => {
    const root = await writeV3('inside-links', undefined, { 'Library/Health.request.yaml': '$kind: http-request\nurl: "{{gateway_url}}/health"\n' });
    await symlink(join(root, 'Library'), join(root, 'Through gateway', 'Linked folder'));
    await symlink('Upload.request.yaml', join(root, 'Direct to backend', 'Again.request.yaml'));
    const before = server.requests.length;
    const { code, text } = await cli(['run', root, ...env(), '--report-dir', 'out-inside-links']);
    expect(code, text).toBe(0);
    // Library runs itself and through the link; Upload itself, and again through its link.
    expect(server.requests.slice(before).map((r) => r.url).sort()).toEqual(['/health', '/health', '/upload', '/upload', '/upload']);
  }, 30_000);

  it('the definition linked to /proc/self/environ: refused, and the environment\'s secret is never printed', async () => {
    const root = await writeV3('environ', undefined);
    await rm(join(root, '.resources', 'definition.yaml'));
    await symlink('/proc/self/environ', join(root, '.resources', 'definition.yaml'));
    const child = spawn(process.execPath, [BIN, 'run', root, ...env()], { cwd: work, env: { ...process.env, DEBUG502_TEST_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, output).toBe(2);
    expect(output).toMatch(/environ\/.resources\/definition.yaml: leads through a symbolic link to \/proc\/\d+\/environ, outside the collection directory/);
    expect(output).not.toContain(SECRET);
  }, 30_000);
});

describe('a JSON collection keeps newman\'s default; --no-insecure-file-read refuses outside the working directory', () => {
  it('an absolute form-data file: sent by default (newman\'s insecureFileRead), refused with --no-insecure-file-read', async () => {
    const file = join(work, 'upload.postman_collection.json');
    const request = (variable: 'gateway_url' | 'backend_url') => ({ method: 'POST', url: `{{${variable}}}/upload`, body: { mode: 'formdata', formdata: [{ key: 'upload', type: 'file', src: join(dir, 'outside-data.txt') }] } });
    await writeFile(file, pairedCollectionJson('Upload', request));
    let before = server.requests.length;
    const allowed = await cli(['run', 'upload.postman_collection.json', ...env(), '--report-dir', 'out-json']);
    expect(allowed.code, allowed.text).toBe(0);
    expect(server.requests.slice(before).filter((r) => r.body.includes('shared-outside-data'))).toHaveLength(2);

    before = server.requests.length;
    const refused = await cli(['run', 'upload.postman_collection.json', ...env(), '--no-insecure-file-read', '--report-dir', 'out-json']);
    expect(refused.code).toBe(2);
    expect(refused.text).toContain(`Through gateway / Upload: form-data "upload": "${join(dir, 'outside-data.txt')}" is outside the working directory ${work}`);
    expect(server.requests.length).toBe(before);
  }, 30_000);
});
