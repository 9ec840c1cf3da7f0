/**
 * newman runs sharing their script sandboxes (src/engines/shared-sandboxes.ts): concurrent runs in
 * one process, each with its own variables and scripts — synchronous, with timers, with
 * pm.sendRequest — against a real loopback server. Every run must see its own assertions and
 * variables only, as if it had a sandbox of its own; and synchronous scripts need one context.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNewman } from '../../src/engines/newman.js';
import { isSynchronousScript, shareNewmanSandboxes, shareSandboxes, type SandboxModule } from '../../src/engines/shared-sandboxes.js';
import type { RequestOutcome } from '../../src/model.js';

let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  // /status/N answers N after 5 ms (so runs overlap); /token?who=X answers X.
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x.invalid');
    const status = Number(/^\/status\/(\d+)$/.exec(url.pathname)?.[1] ?? 200);
    setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ who: url.searchParams.get('who') })), 5);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

interface OneRequestCollection {
  info: object;
  item: { name: string; request: object; event: { listen: string; script: { exec: string[] } }[] }[];
}

/** One request to /status/{{code}}?who={{who}}, with these scripts. */
function collectionWith(testScript: string[], prerequest?: string[]): OneRequestCollection {
  const event = [{ listen: 'test', script: { exec: [...testScript] } }];
  if (prerequest) event.push({ listen: 'prerequest', script: { exec: prerequest } });
  return { info: { name: 'shared', schema: SCHEMA }, item: [{ name: 'Ask', request: { method: 'GET', url: '{{base}}/status/{{code}}?who={{who}}' }, event }] };
}

const SYNC_TEST = [
  'const who = pm.variables.get("who");',
  'pm.test("run " + who, function () { pm.expect(pm.response.code).to.equal(Number(pm.variables.get("code"))); });',
  'pm.test("body names " + who, function () { pm.expect(pm.response.json().who).to.equal(who); });',
];

/** `runs` newman runs at once, run i with who=r<i>, every third expecting (and getting) a 502. */
async function runConcurrently(collection: object, runs: number, iterations = 3): Promise<RequestOutcome[][]> {
  return Promise.all(Array.from({ length: runs }, async (_, i) => {
    const outcomes: RequestOutcome[] = [];
    const code = i % 3 === 0 ? '502' : '200';
    await runNewman({ collection, envVars: { base: baseUrl, who: `r${i}`, code }, iterationCount: iterations }, { onOutcome: (o) => outcomes.push(o) });
    return outcomes;
  }));
}

const names = (outcome: RequestOutcome) => outcome.tests.map((t) => `${t.name}:${t.passed}`);

describe('concurrent newman runs, one process', () => {
  it('synchronous scripts: each run sees its own assertions and variables, and they share one context', async () => {
    await runConcurrently(collectionWith(SYNC_TEST), 1, 1); // boots the context if this thread has none yet
    const before = shareNewmanSandboxes().contextsCreated();
    const results = await runConcurrently(collectionWith(SYNC_TEST), 12);
    results.forEach((outcomes, i) => {
      expect(outcomes).toHaveLength(3);
      for (const outcome of outcomes) expect(names(outcome)).toEqual([`run r${i}:true`, `body names r${i}:true`]);
      expect(outcomes[0].status).toBe(i % 3 === 0 ? 502 : 200);
    });
    expect(shareNewmanSandboxes().contextsCreated() - before).toBe(0);
  });

  it('a test that a timer asserts late, and a pre-request pm.sendRequest: still each run\'s own', async () => {
    const collection = collectionWith(
      [...SYNC_TEST, 'setTimeout(function () { pm.test("late " + pm.variables.get("who"), function () {}); }, 15);'],
      [
        'pm.sendRequest(pm.variables.get("base") + "/status/200?who=" + pm.variables.get("who") + "-token", function (err, res) {',
        '  pm.variables.set("token", res.json().who);',
        '});',
      ],
    );
    collection.item[0].event[0].script.exec.push('pm.test("token " + pm.variables.get("token"), function () {});');
    const results = await runConcurrently(collection, 8, 2);
    results.forEach((outcomes, i) => {
      expect(outcomes).toHaveLength(2);
      for (const outcome of outcomes) expect(names(outcome)).toEqual([`run r${i}:true`, `body names r${i}:true`, `token r${i}-token:true`, `late r${i}:true`]);
    });
  });
});

describe('isSynchronousScript', () => {
  it('is true only for a script that names none of the sandbox\'s asynchronous APIs', () => {
    const event = (exec: string[] | string) => ({ script: { exec } });
    expect(isSynchronousScript(event(SYNC_TEST))).toBe(true);
    for (const line of ['setTimeout(f, 1)', 'pm.sendRequest(url, f)', 'pm.cookies.jar ().get(u, n, f)', 'await pm.vault.get("k")', 'pm.execution.runRequest(id)', 'Promise.resolve(1).then(f)', 'const m = pm.require("@team/pkg")']) {
      expect(isSynchronousScript(event([line])), line).toBe(false);
    }
    expect(isSynchronousScript(event(['// checks the authentication header', 'pm.test("ok", function () {});']))).toBe(true);
    expect(isSynchronousScript({})).toBe(false);
  });
});

describe('routing, on stand-in contexts (the part a real sandbox cannot show: which run hears which event)', () => {
  /** A postman-sandbox look-alike: contexts that record executions and emit what the test tells them. */
  function fakeSandbox() {
    const contexts: (EventEmitter & { executions: string[] })[] = [];
    const module: SandboxModule = {
      createContext: (_options, callback) => {
        const context = Object.assign(new EventEmitter(), {
          executions: [] as string[],
          execute: (_target: unknown, options: { id: string }) => context.executions.push(options.id),
          dispatch: () => {},
        });
        contexts.push(context);
        callback(null, context as never);
      },
    };
    const counter = shareSandboxes(module);
    const open = () => new Promise<EventEmitter & { execute(target: unknown, options: object, callback: () => void): void }>((resolve) => module.createContext({}, (_e, run) => resolve(run as never)));
    return { contexts, counter, open };
  }
  const ids = ['1d0c7c2e-0000-4000-8000-00000000000a', '1d0c7c2e-0000-4000-8000-00000000000b', '1d0c7c2e-0000-4000-8000-00000000000c'];

  it('two runs\' synchronous scripts share a context; each hears only the events of its own execution', async () => {
    const { contexts, counter, open } = fakeSandbox();
    const [a, b] = [await open(), await open()];
    const heard: Record<string, string[]> = { a: [], b: [] };
    a.on('execution.assertion', (cursor: { execution: string }) => heard.a.push(`generic ${cursor.execution}`));
    b.on('execution.assertion', (cursor: { execution: string }) => heard.b.push(`generic ${cursor.execution}`));
    b.on(`execution.assertion.${ids[1]}`, () => heard.b.push('by name'));
    a.execute({ script: { exec: ['pm.test("x", function () {});'] } }, { id: ids[0] }, () => {});
    b.execute({ script: { exec: ['pm.test("y", function () {});'] } }, { id: ids[1] }, () => {});
    expect(counter.contextsCreated()).toBe(1);
    expect(contexts[0].executions).toEqual([ids[0], ids[1]]);
    contexts[0].emit('execution.assertion', { execution: ids[0] }, []);
    contexts[0].emit('execution.assertion', { execution: ids[1] }, []);
    contexts[0].emit(`execution.assertion.${ids[1]}`, {}, []);
    expect(heard).toEqual({ a: [`generic ${ids[0]}`], b: [`generic ${ids[1]}`, 'by name'] });
  });

  it('a script that may go asynchronous gets a context nothing else runs in', async () => {
    const { contexts, counter, open } = fakeSandbox();
    const [a, b, c] = [await open(), await open(), await open()];
    a.execute({ script: { exec: ['setTimeout(function () {}, 10);'] } }, { id: ids[0] }, () => {});
    b.execute({ script: { exec: ['pm.test("y", function () {});'] } }, { id: ids[1] }, () => {});
    c.execute({ script: { exec: ['pm.sendRequest("http://127.0.0.1:1/", function () {});'] } }, { id: ids[2] }, () => {});
    expect(counter.contextsCreated()).toBe(3);
    expect(contexts.map((context) => context.executions)).toEqual([[ids[0]], [ids[1]], [ids[2]]]);
  });
});
