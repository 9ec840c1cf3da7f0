/**
 * postman-sandbox's boot code (the library bundle every script context evaluates) without its
 * module source kept on the heap of each thread that runs newman.
 *
 * Why: the bundle ships as `.cache/bootcode.js`, a module whose whole body is one string literal
 * (`module.exports=c=>c(null,"…")`, 2.3 M characters, two bytes each). Loaded by `require`, its
 * function stays referenced by postman-sandbox for the life of the thread, and V8 keeps a
 * function's script source while the function lives: 4.7 MB per thread that nothing reads again.
 * A heap snapshot of a worker mid-ramp held three such strings: that module source, the string the
 * literal makes (postman-sandbox caches it and hands it to every context) and the context's own
 * script. The last two are in use; the first is what this drops (a newman ramp to C = 64 on two
 * threads, 20,000 requests: 267 → 258 MB peak RSS).
 *
 * How: before newman loads, the module cache gets a stand-in for that file whose export does what
 * the file's does (calls back with the string) by compiling the file when first called, and
 * dropping the compiled function once it has the string. postman-sandbox caches the string as it
 * would, so the file is read once per thread.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Module } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';
import { requireFromRuntime } from './newman-require.js';

type BootCodeCallback = (error: unknown, code?: unknown) => void;

/**
 * Puts the stand-in in place for the postman-sandbox that newman's postman-runtime loads. Call it
 * before newman is imported; after that (the file already loaded) or without the file it does nothing.
 */
export function leanSandboxBootCode(): void {
  const fromRuntime = requireFromRuntime();
  const file = join(dirname(fromRuntime.resolve('postman-sandbox')), '.cache', 'bootcode.js');
  if (fromRuntime.cache[file] || !existsSync(file)) return;
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = (callback: BootCodeCallback) => {
    const loaded: { exports: unknown } = { exports: undefined };
    try {
      compileFunction(readFileSync(file, 'utf8'), ['module', 'exports'], { filename: file })(loaded, {});
    } catch (error) {
      return callback(error);
    }
    if (typeof loaded.exports !== 'function') return callback(new Error(`sandbox: ${file} does not export its boot code loader`));
    (loaded.exports as (callback: BootCodeCallback) => void)(callback);
  };
  fromRuntime.cache[file] = standIn;
}
