/**
 * deferUnusedModules (src/engines/deferred-modules.ts): each deferred module is found on this
 * install; a plain run loads none of them; and the features they serve work through the stand-ins
 * as without them — faker's `{{$random…}}` variables, form-data bodies, ASAP auth (jose,
 * node-forge), newman's junit reporter and postman-runtime's visualizer templates (handlebars). In
 * fresh processes (the module cache is per process), from the build (npm test builds first), with
 * real newman against a loopback server.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFERRED_MODULES, deferModule, resolveDeferred } from '../../src/engines/deferred-modules.js';

const dist = (file: string) => JSON.stringify(new URL(`../../dist/engines/${file}`, import.meta.url).href);

/** argv[1]: 'deferred' or 'stock'; argv[2]: 'plain' (one GET) or 'features'. Prints JSON. */
const RUN = `
  import http from 'node:http';
  import { generateKeyPairSync } from 'node:crypto';
  import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
  import { tmpdir } from 'node:os';
  import { join } from 'node:path';
  import { types } from 'node:util';
  const { DEFERRED_MODULES, resolveDeferred, deferUnusedModules } = await import(${dist('deferred-modules.js')});
  const { requireFromNewman, requireFromRuntime } = await import(${dist('newman-require.js')});
  const [mode, what] = process.argv.slice(1);
  const deferred = mode === 'deferred' ? deferUnusedModules().length : 0;
  const newman = requireFromNewman()('newman');
  const seen = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => { seen.push({ path: req.url, type: req.headers['content-type'] ?? '', auth: req.headers.authorization ?? '', body }); res.end('{}'); });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = 'http://127.0.0.1:' + server.address().port;
  const item = (name, request) => ({ name, request, event: [{ listen: 'test', script: { exec: ['pm.test("answered", () => pm.response.to.have.status(200));'] } }] });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const asap = [['alg', 'RS256'], ['kid', 'k1'], ['iss', 'debug502'], ['aud', 'test'], ['privateKey', privateKey]].map(([key, value]) => ({ key, value, type: 'string' }));
  const items = what === 'plain' ? [item('plain', { method: 'GET', url: url + '/plain' })] : [
    item('faker', { method: 'GET', url: url + '/faker/{{$randomCity}}/{{$randomUUID}}' }),
    item('form', { method: 'POST', url: url + '/form', body: { mode: 'formdata', formdata: [{ key: 'field', value: 'one', type: 'text' }] } }),
    item('asap', { method: 'GET', url: url + '/asap', auth: { type: 'asap', asap } }),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'debug502-deferred-'));
  const junit = join(dir, 'junit.xml');
  const collection = { info: { name: 'deferred', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: items };
  const options = what === 'plain' ? {} : { reporters: ['junit'], reporter: { junit: { export: junit } } };
  const summary = await new Promise((resolve, reject) => newman.run({ collection, ...options }, (error, done) => (error ? reject(error) : resolve(done))));
  const result = { deferred, failures: summary.run.failures.length, seen };
  if (what === 'features') {
    result.junit = readFileSync(junit, 'utf8').includes('<testsuite ');
    const visualizer = requireFromRuntime()('./lib/visualizer');
    result.visualized = await new Promise((resolve) => visualizer.processTemplate('<b>{{n}}</b>', { n: 7 }, {}, (error, html) => resolve(error ? String(error) : html)));
  }
  rmSync(dir, { recursive: true, force: true });
  const standIns = DEFERRED_MODULES.map(resolveDeferred).filter((found) => found && types.isProxy(found.requirer.cache[found.file]?.exports));
  result.standInsLeft = new Set(standIns.map((found) => found.file)).size;
  server.close();
  console.log(JSON.stringify(result));
`;

interface RunResult {
  deferred: number;
  failures: number;
  seen: { path: string; type: string; auth: string; body: string }[];
  junit?: boolean;
  visualized?: string;
  standInsLeft: number;
}

async function run(mode: 'deferred' | 'stock', what: 'plain' | 'features'): Promise<RunResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', RUN, mode, what], { cwd: fileURLToPath(new URL('../..', import.meta.url)), maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout);
}

describe('a deferred module', () => {
  // Modules in a temp dir that count their loads on globalThis, each required as a requirer would.
  const dir = mkdtempSync(join(tmpdir(), 'debug502-defer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const loads = globalThis as unknown as Record<string, number>;
  let made = 0;
  function deferred(source: string, shape: Parameters<typeof deferModule>[2]): { exports: any; loads: () => number } {
    const name = `m${(made += 1)}`;
    const file = join(dir, `${name}.cjs`);
    writeFileSync(file, `globalThis.${name} = (globalThis.${name} ?? 0) + 1;\n${source}`);
    const requirer = createRequire(join(dir, 'requirer.cjs'));
    deferModule(requirer, file, shape);
    return { exports: requirer(file), loads: () => loads[name] ?? 0 };
  }

  test('an object loads when a member is first read, and then looks like the real one', () => {
    const m = deferred('Object.defineProperty(exports, "__esModule", { value: true }); exports.twice = (n) => n * 2; exports.name = "real";', 'object');
    expect(m.loads()).toBe(0);
    expect(m.exports.twice(4)).toBe(8);
    expect(m.loads()).toBe(1);
    expect(Object.keys(m.exports)).toEqual(['twice', 'name']);
    expect({ ...m.exports }.name).toBe('real');
    // A non-configurable property of the real module (as TypeScript's CJS output defines) is reported as it is.
    expect(Object.getOwnPropertyDescriptor(m.exports, '__esModule')).toMatchObject({ value: true, configurable: false });
    expect('twice' in m.exports).toBe(true);
    m.exports.added = 1;
    expect(m.exports.added).toBe(1);
    expect(m.loads()).toBe(1);
  });

  test('a function or class loads when called or constructed, and makes real instances', () => {
    const m = deferred('class Reporter { constructor(n) { this.n = n; } get twice() { return this.n * 2; } }\nmodule.exports = Reporter;', 'function');
    expect(typeof m.exports).toBe('function');
    expect(m.loads()).toBe(0);
    const made = new m.exports(3);
    expect(made.twice).toBe(6);
    expect(made).toBeInstanceOf(m.exports);
    expect(Object.getPrototypeOf(made)).toBe(m.exports.prototype);
    class Sub extends m.exports {
      constructor(n: number) {
        super(n);
      }
    }
    expect(new Sub(5).twice).toBe(10);
    expect(m.loads()).toBe(1);
  });

  test('members read at load are stand-ins too, and are called with their real owner', () => {
    const m = deferred('exports.address = { prefix: "Port ", city() { return this.prefix + "Said"; } };', { members: { members: 'function' } });
    const { address } = m.exports;
    const city = address.city;
    expect(m.loads()).toBe(0);
    expect(address.city()).toBe('Port Said');
    expect(m.exports.address).toBe(address);
    // Kept and called bare, as postman-collection calls faker's generators, it still has its owner.
    expect(city()).toBe('Port Said');
    expect(m.loads()).toBe(1);
  });

  test('a module that fails to load fails where it is used, with its own error', () => {
    const m = deferred('throw new Error("cannot load here");', 'object');
    expect(() => m.exports.anything).toThrow('cannot load here');
  });
});

describe('modules newman loads for features a run does not use', () => {
  test('each deferred module is found where this newman requires it', () => {
    const missing = DEFERRED_MODULES.filter((deferral) => !resolveDeferred(deferral)).map((d) => `${d.package}/${d.requirer} → ${d.request}`);
    expect(missing).toEqual([]);
    expect(DEFERRED_MODULES.length).toBeGreaterThan(10);
  });

  test('a plain run loads none of them', async () => {
    const plain = await run('deferred', 'plain');
    expect(plain.failures).toBe(0);
    expect(plain.seen.map((s) => s.path)).toEqual(['/plain']);
    // Every stand-in put in place is still there: nothing the run did needed the real module.
    const files = new Set(DEFERRED_MODULES.map((deferral) => resolveDeferred(deferral)?.file));
    expect(plain.deferred).toBe(files.size);
    expect(plain.standInsLeft).toBe(plain.deferred);
  }, 60_000);

  test('the features they serve work through the stand-ins as without them', async () => {
    const [deferred, stock] = await Promise.all([run('deferred', 'features'), run('stock', 'features')]);
    expect(stock.deferred).toBe(0);
    expect(stock.standInsLeft).toBe(0);
    for (const result of [deferred, stock]) {
      expect(result.failures).toBe(0);
      const [faker, form, asap] = result.seen;
      // $randomCity (faker's address.city, read at load by postman-collection) and $randomUUID.
      expect(faker.path).toMatch(/^\/faker\/[^/{}]+\/[0-9a-f-]{36}$/);
      expect(form.type).toMatch(/^multipart\/form-data; boundary=/);
      expect(form.body).toMatch(/name="field"\r\n\r\none\r\n/);
      expect(asap.auth).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(result.junit).toBe(true);
      expect(result.visualized).toBe('<b>7</b>');
    }
    // The features loaded the real modules they needed; the rest stay stand-ins.
    expect(deferred.standInsLeft).toBeLessThan(deferred.deferred);
    expect(deferred.standInsLeft).toBeGreaterThan(0);
  }, 60_000);
});
