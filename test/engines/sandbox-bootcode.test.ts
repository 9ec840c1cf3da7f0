/**
 * leanSandboxBootCode (src/engines/sandbox-bootcode.ts): with the stand-in, postman-sandbox
 * boots the same library and runs scripts as before, and no thread keeps the bundle's module source
 * on its heap. In fresh processes (the module cache is the process's), from the build (npm test
 * builds first).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

/**
 * Boots a postman-sandbox context as newman's postman-runtime loads it, runs a script with a
 * passing and a failing test, then looks through a heap snapshot for the module source
 * (`module.exports=c=>c(null,"…`) and for the boot code string, counting each. Prints JSON.
 */
const BOOT = `
  import { createRequire } from 'node:module';
  import { writeHeapSnapshot } from 'node:v8';
  import { readFileSync, rmSync } from 'node:fs';
  import { tmpdir } from 'node:os';
  import { join } from 'node:path';
  const { requireFromNewman } = await import(${JSON.stringify(new URL('../../dist/engines/newman-require.js', import.meta.url).href)});
  if (process.argv[1] === 'stand-in') (await import(${JSON.stringify(new URL('../../dist/engines/sandbox-bootcode.js', import.meta.url).href)})).leanSandboxBootCode();
  const sandbox = createRequire(requireFromNewman().resolve('postman-runtime'))('postman-sandbox');
  const context = await new Promise((resolve, reject) => sandbox.createContext({}, (error, made) => (error ? reject(error) : resolve(made))));
  const assertions = [];
  context.on('execution.assertion', (_cursor, results) => assertions.push(...results.map((r) => ({ name: r.name, passed: r.passed }))));
  const script = 'pm.test("lodash and chai are there", () => pm.expect(_.uniq([1, 1, 2])).to.eql([1, 2])); pm.test("fails", () => pm.expect(1).to.equal(2));';
  await new Promise((resolve, reject) => context.execute({ listen: 'test', script: { exec: script } }, {}, (error) => (error ? reject(error) : resolve())));
  const file = join(tmpdir(), 'debug502-bootcode-' + process.pid + '.heapsnapshot');
  writeHeapSnapshot(file);
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(file);
  const moduleSources = snapshot.strings.filter((s) => s.startsWith('module.exports=c=>c(null,')).length;
  const bootCodes = snapshot.strings.filter((s) => s.startsWith('require=function e(t,n,a)')).length;
  console.log(JSON.stringify({ assertions, moduleSources, bootCodes }));
`;

async function boot(mode: 'stand-in' | 'stock'): Promise<{ assertions: { name: string; passed: boolean }[]; moduleSources: number; bootCodes: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', BOOT, mode], { cwd: fileURLToPath(new URL('../..', import.meta.url)), maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout);
}

test('the sandbox boots and runs scripts as before, without the bundle\'s module source on the heap', async () => {
  const [standIn, stock] = await Promise.all([boot('stand-in'), boot('stock')]);
  const expected = [{ name: 'lodash and chai are there', passed: true }, { name: 'fails', passed: false }];
  expect(stock.assertions).toEqual(expected);
  expect(standIn.assertions).toEqual(expected);
  // Without the stand-in the module source stays (which this test would otherwise not see go).
  expect(stock.moduleSources).toBeGreaterThan(0);
  expect(standIn.moduleSources).toBe(0);
  expect(standIn.bootCodes).toBeGreaterThan(0);
}, 60_000);
