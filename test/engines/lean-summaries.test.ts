/**
 * newman's run summary without per-request records for our own runs (src/engines/lean-summaries.ts):
 * the switch itself on a stand-in RunSummary, then real newman in one process — our runs still
 * report every request, while a plain newman.run beside them keeps its records as newman writes them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepNoRecords, leanSummaries, newmanSummariesAreLean, type RunSummaryModule } from '../../src/engines/lean-summaries.js';
import { runNewman } from '../../src/engines/newman.js';
import type { RequestOutcome } from '../../src/model.js';

describe('leanSummaries', () => {
  it('skips the reporting trackers for a marked emitter only, and wraps once', () => {
    const calls: { self: unknown; summary: unknown; emitter: object }[] = [];
    const RunSummary: RunSummaryModule = {
      attachReportingTrackers(this: unknown, summary, emitter) {
        calls.push({ self: this, summary, emitter });
      },
    };
    leanSummaries(RunSummary);
    leanSummaries(RunSummary);
    const ours = {};
    const theirs = {};
    keepNoRecords(ours);
    RunSummary.attachReportingTrackers!('summary of ours', ours);
    RunSummary.attachReportingTrackers!('summary of theirs', theirs);
    expect(calls).toEqual([{ self: RunSummary, summary: 'summary of theirs', emitter: theirs }]);
  });

  it('leaves a RunSummary without the trackers it knows alone', () => {
    const RunSummary: RunSummaryModule = {};
    leanSummaries(RunSummary);
    expect(RunSummary).toEqual({});
  });
});

describe('with real newman', () => {
  let server: http.Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const collection = () => ({
    info: { name: 'lean', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: [
      {
        name: 'ping',
        request: { method: 'GET', url: `${baseUrl}/ping` },
        event: [{ listen: 'test', script: { exec: ['pm.test("is 200", () => pm.response.to.have.status(200));'] } }],
      },
    ],
  });

  it('our runs report every request; a plain newman.run in the same process keeps its records', async () => {
    const outcomes: RequestOutcome[] = [];
    const summary = await runNewman({ collection: collection(), iterationCount: 3 }, { onOutcome: (o) => outcomes.push(o) });
    expect(newmanSummariesAreLean()).toBe(true);
    expect(summary.requests).toBe(3);
    expect(outcomes.map((o) => [o.status, o.tests.map((t) => [t.name, t.passed])])).toEqual(Array(3).fill([200, [['is 200', true]]]));

    const newman = (await import('newman')).default;
    const executions = await new Promise<{ response?: { code?: number }; assertions?: unknown[] }[]>((resolve, reject) =>
      newman.run({ collection: collection() as never, iterationCount: 2, reporters: [] }, (error, plain) => (error ? reject(error) : resolve(plain.run.executions as never))),
    );
    expect(executions.map((e) => [e.response?.code, e.assertions?.length])).toEqual([[200, 1], [200, 1]]);
  });
});
