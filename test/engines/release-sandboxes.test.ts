/**
 * releaseFinishedSandboxes: the full collections a ramp runs between newman steps really free a
 * vm context nobody holds any more (what a finished newman run leaves: its postman-sandbox).
 */
import { createContext, runInContext } from 'node:vm';
import { expect, test } from 'vitest';
import { ENGINES } from '../../src/engines/engine.js';
import { releaseFinishedSandboxes } from '../../src/engines/release-sandboxes.js';

test('a dropped vm context holding 8 MB is collected', async () => {
  let held: WeakRef<object> | undefined;
  (() => {
    const context = createContext({});
    runInContext('globalThis.big = new Array(1 << 20).fill(1.5)', context);
    held = new WeakRef(context);
  })();
  // A WeakRef keeps its target alive until the job that made it ends.
  await new Promise((resolve) => setTimeout(resolve, 0));
  releaseFinishedSandboxes();
  expect(held!.deref()).toBeUndefined();
});

test('newman frees its sandboxes after each step; the fast engine has none to free', () => {
  expect(ENGINES.newman.afterStep).toBeTypeOf('function');
  expect(ENGINES.fast.afterStep).toBeUndefined();
});
