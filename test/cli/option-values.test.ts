import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-options-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exitOf(argv: string[]): Promise<{ code: number; text: string }> {
  const io = captureIo({ cwd: dir });
  const code = await main(argv, io);
  return { code, text: io.text() };
}

describe('an option given without its value is an error everywhere', () => {
  test.each([
    [['ramp', '--collection', 'c.json', '--max'], '--max: needs a value'],
    [['ramp', '--collection', 'c.json', '--max', '--start', '2'], '--max: needs a value'],
    [['ramp', '--collection', 'c.json', '--formats', '--dry-run'], '--formats: needs a value'],
    [['ramp', '--collection', 'c.json', '--report-dir='], '--report-dir: given an empty value'],
    [['run', '--collection', 'c.json', '--reporters'], '--reporters: needs a value'],
    [['run', '--collection'], '--collection: needs a value'],
    [['generate', '--out'], '--out: needs a value'],
    [['diagnose', '--environment', 'e.json', '--since'], '--since: needs a value'],
    [['report', '--from'], '--from: needs a value'],
    [['lab', '--capacity'], '--capacity: needs a value'],
    [['demo', '--max'], '--max: needs a value'],
  ])('%j → exit 2, nothing written', async (argv, message) => {
    const { code, text } = await exitOf(argv);
    expect(code).toBe(2);
    expect(text).toContain(message);
    expect(text).not.toMatch(/\n\s+at /); // no stack trace
    expect(await readdir(dir)).toEqual([]);
  });

  test('durations are checked by the one parser, naming the option', async () => {
    for (const [argv, message] of [
      [['ramp', '--collection', 'c.json', '--max-duration', '-5m'], '--max-duration: -5m is out of range'],
      [['ramp', '--collection', 'c.json', '--max-duration', '600h'], '--max-duration: 600h is out of range'],
      [['run', '--collection', 'c.json', '--timeout-request', '0.4ms'], '--timeout-request: 0.4ms is out of range'],
      [['diagnose', '--environment', 'e.json', '--gateway-timeout', 'soon'], '--gateway-timeout: "soon" is not a duration'],
      [['lab', '--gateway-port', '70000'], '--gateway-port: must be a whole number from 1 to 65535'],
      [['lab', '--latency', '-1'], '--latency: -1 is out of range'],
    ] as const) {
      const { code, text } = await exitOf([...argv]);
      expect(code, argv.join(' ')).toBe(2);
      expect(text).toContain(message);
    }
  });
});
