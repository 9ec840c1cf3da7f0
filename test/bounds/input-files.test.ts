/**
 * Issue 29, critical 4 and the size limit: every input is read through src/fs/read-input.ts. A FIFO
 * nothing writes to — as the collection, -e, -g, -d, --config, report --from, generate
 * --from-openapi, diagnose --log — is waited for on the event loop and the first Ctrl-C ends the
 * command (exit 130; before, open(2) held a libuv thread and not even SIGKILL-less exit worked).
 * Devices are refused, and every kind of input has a size limit, said in the error (exit 2).
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, openSync, readdirSync, readlinkSync, writeSync } from 'node:fs';
import { mkdtemp, open, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { InputError, InterruptedError } from '../../src/errors.js';
import { formatLimit, INPUT_LIMIT_BYTES, openInputStream, readInputText } from '../../src/fs/read-input.js';
import { pairedCollectionJson, runCliIn } from './inputs.js';
import { BIN, spawnBin, waitFor } from './processes.js';
import { startHostileServer, type HostileServer } from './servers.js';

const MKFIFO = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!MKFIFO) console.warn('skipping the FIFO cases: mkfifo is not installed (coreutils)');

let dir: string;
let server: HostileServer;
let fifoCount = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-inputs-'));
  server = await startHostileServer('ok');
  await writeFile(join(dir, 'env.json'), JSON.stringify({ values: [{ key: 'gateway_url', value: server.url }, { key: 'backend_url', value: server.url }] }));
  await writeFile(join(dir, 'c.json'), pairedCollectionJson('Users', (variable) => ({ method: 'GET', url: `{{${variable}}}/users` })));
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Preloaded in the bin: its peak RSS at exit, from /proc/self/status (VmHWM, this program's own).
 * Not resourceUsage().maxRSS: Linux carries that over exec from the forked copy of the parent, so
 * a child of a big test worker would report the worker's size.
 */
const PRINT_PEAK_RSS = 'data:text/javascript,import{readFileSync}from"node:fs";process.on("exit",()=>process.stderr.write("\\nVMHWM "+/VmHWM:\\s*(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1]+"\\n"))';

/**
 * Exit code, stderr and peak RSS (MB) of the bin; stdin nothing, or a shell pipe from
 * `cat /dev/zero` (a real pipe: Node's own 'pipe' stdio is a socket pair). Killed after 50 s.
 */
function runWithPeakRss(args: string[], stdin: 'ignore' | 'zeros'): Promise<{ code: number | null; peakMb: number; stderr: string }> {
  const command = [process.execPath, '--import', PRINT_PEAK_RSS, BIN, ...args];
  return new Promise((resolve) => {
    const child = stdin === 'zeros'
      ? spawn('sh', ['-c', 'cat /dev/zero | exec "$0" "$@"', ...command], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(command[0], command.slice(1), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, peakMb: Number(/VMHWM (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024, stderr });
    });
  });
}

function makeFifo(): string {
  const path = join(dir, `fifo-${++fifoCount}`);
  execFileSync('mkfifo', [path]);
  return path;
}

/** True once process `pid` holds `path` open: it got past open(2) and waits for data on the event loop. */
function holdsOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** Preloaded in the bin: says READY on stderr once the CLI listens for SIGINT (before, SIGINT just kills it). */
const SAY_READY = 'data:text/javascript,const t=setInterval(()=>{if(process.listenerCount("SIGINT")>0){process.stderr.write("READY\\n");clearInterval(t)}},20);t.unref()';

describe.skipIf(!MKFIFO)('a FIFO nothing writes to: the first Ctrl-C ends the command with 130', () => {
  test.each([
    ['the collection', (f: string) => ['run', f, '-e', 'env.json']],
    ['-e', (f: string) => ['run', 'c.json', '-e', f]],
    ['-g', (f: string) => ['run', 'c.json', '-e', 'env.json', '-g', f]],
    ['-d', (f: string) => ['ramp', 'c.json', '-e', 'env.json', '-d', f, '--dry-run']],
    ['--config', (f: string) => ['generate', '--config', f, '--out', 'gen']],
    ['generate --from-openapi', (f: string) => ['generate', '--from-openapi', f, '--gateway-url', 'http://127.0.0.1:1', '--backend-url', 'http://127.0.0.1:2', '--out', 'gen']],
    ['report --from', (f: string) => ['report', '--from', f]],
    ['diagnose --log', (f: string) => ['diagnose', '--log', f]],
    ['watch -e', (f: string) => ['watch', '-e', f, '--duration', '1s']],
  ])('%s', async (_name, argv) => {
    const fifo = makeFifo();
    const run = spawnBin(argv(fifo), dir);
    try {
      await waitFor(() => holdsOpen(run.child.pid!, fifo), 15_000);
      const sentAt = performance.now();
      run.child.kill('SIGINT');
      const { code, atMs } = await run.exit;
      expect(code, run.output()).toBe(130);
      // A bound, not a timing: a thread stuck in open(2) never let the process go at all.
      expect(atMs - sentAt).toBeLessThan(10_000);
      expect(run.output()).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 30_000);

  it('a FIFO with a writer is read to its end: run <(…) works as with newman', async () => {
    const fifo = makeFifo();
    const before = server.received();
    const cli = captureIo({ cwd: dir });
    const running = main(['run', 'c.json', '-e', fifo, '--report-dir', 'out-fifo'], cli);
    // The writer opens without blocking (this thread runs the reader too): ENXIO until the reader is there.
    let fd: number | undefined;
    await waitFor(() => {
      try {
        fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
        return true;
      } catch {
        return false;
      }
    }, 15_000);
    writeSync(fd!, JSON.stringify({ values: [{ key: 'gateway_url', value: server.url }, { key: 'backend_url', value: server.url }] }));
    closeSync(fd!);
    expect(await running, cli.text()).toBe(0);
    expect(server.received()).toBe(before + 2);
  });

  it('readInputText: the signal ends the wait (InterruptedError); a pipe past the limit is refused at the limit', async () => {
    const idle = makeFifo();
    const controller = new AbortController();
    const reading = readInputText(idle, { kind: 'environment', label: 'environment idle', signal: controller.signal });
    setTimeout(() => controller.abort('SIGINT'), 50);
    const error = await reading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as Error).message).toBe('environment idle: stopped (SIGINT) while reading from a pipe, which nothing had written to');

    // An endless writer (cat /dev/zero > FIFO): refused once the limit is passed, not read to V8's string limit.
    const endless = makeFifo();
    const writer = spawn('sh', ['-c', `cat /dev/zero > "${endless}"`], { stdio: 'ignore' });
    try {
      const tooMuch = await readInputText(endless, { kind: 'nginxConf', label: '--nginx-conf endless' }).catch((e: unknown) => e);
      expect(tooMuch).toBeInstanceOf(InputError);
      expect((tooMuch as Error).message).toBe(`--nginx-conf endless: the pipe brought more than ${formatLimit(INPUT_LIMIT_BYTES.nginxConf)}, the most debug502 reads as an nginx config`);
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('openInputStream: a log FIFO nothing writes to ends when the signal aborts', async () => {
    const fifo = makeFifo();
    const controller = new AbortController();
    const stream = await openInputStream(fifo, { label: '--log idle', signal: controller.signal });
    const chunks: unknown[] = [];
    const ended = new Promise<void>((resolve) => stream.once('close', () => resolve()));
    stream.on('data', (chunk) => chunks.push(chunk));
    controller.abort();
    await ended;
    expect(chunks).toEqual([]);
  });

  it('inside a v3 directory a FIFO request file is a problem, not a wait', async () => {
    const v3 = join(dir, 'v3-fifo');
    execFileSync('mkdir', ['-p', join(v3, '.resources')]);
    await writeFile(join(v3, '.resources', 'definition.yaml'), '$kind: collection\nname: F\n');
    execFileSync('mkfifo', [join(v3, 'Users.request.yaml')]);
    const cli = captureIo({ cwd: dir });
    expect(await main(['run', 'v3-fifo', '-e', 'env.json'], cli)).toBe(2);
    expect(cli.text()).toContain('v3-fifo/Users.request.yaml: not a regular file (a pipe, socket or device): debug502 reads only regular files in a collection');
  });
});

it('diagnose --log - with a stdin that a writer holds open and never writes to: the first Ctrl-C ends it with 130', async () => {
  const child = spawn(process.execPath, ['--import', SAY_READY, BIN, 'diagnose', '--log', '-'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    child.stdin!.write('2024/05/01 10:00:00 [error] 1#1: *1 upstream prematurely closed connection while reading response header from upstream\n');
    // Whether the signal comes before or while it waits on stdin, it must end the command.
    await waitFor(() => output.includes('READY'), 15_000);
    child.kill('SIGINT');
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exit;
    clearTimeout(guard);
    expect(code, output).toBe(130);
  } finally {
    child.stdin!.destroy();
    child.kill('SIGKILL');
  }
}, 30_000);

describe('devices and sizes: exit 2 naming the file and the limit, nothing sent', () => {
  const cli = (argv: string[]) => runCliIn(dir, argv);

  test.each([
    ['/dev/zero as the collection', ['run', '/dev/zero', '-e', 'env.json'], 'collection /dev/zero: is a character device, not a regular file: debug502 reads files and pipes'],
    ['/dev/urandom as the collection', ['run', '/dev/urandom', '-e', 'env.json'], 'collection /dev/urandom: is a character device, not a regular file'],
    ['/dev/zero as -e', ['run', 'c.json', '-e', '/dev/zero'], 'environment /dev/zero: is a character device'],
    ['/dev/zero as --config', ['generate', '--config', '/dev/zero', '--out', 'gen'], '/dev/zero: is a character device'],
    ['/dev/urandom as report --from', ['report', '--from', '/dev/urandom'], 'cannot read ramp report /dev/urandom: is a character device'],
  ])('%s', async (_name, argv, message) => {
    const before = server.received();
    const { code, text } = await cli(argv);
    expect(text).toContain(message);
    expect(code).toBe(2);
    expect(server.received()).toBe(before);
  });

  it('a collection one byte over 256 MB is refused from its size, before it is read', async () => {
    const big = join(dir, 'big.json');
    // Sparse: the size is there, the disk holds nothing.
    await (await open(big, 'w')).close();
    await truncate(big, INPUT_LIMIT_BYTES.collection + 1);
    const { code, text } = await cli(['run', 'big.json', '-e', 'env.json']);
    expect(text).toContain('collection big.json: holds more than 256 MB, the most debug502 reads as a collection');
    expect(code).toBe(2);
    // 256 MB exactly is within the limit: read, then refused for what it holds (NUL bytes), not for its size.
    await truncate(big, INPUT_LIMIT_BYTES.collection);
    const exact = await cli(['run', 'big.json', '-e', 'env.json']);
    expect(exact.code).toBe(2);
    expect(exact.text).toMatch(/big\.json: not valid JSON at line 1, column 1/);
    await rm(big);
  }, 60_000);

  it('peak memory at the limit: an over-limit file costs nothing, an endless pipe at most the limit (bin, peak RSS)', async () => {
    const big = join(dir, 'sparse.json');
    await (await open(big, 'w')).close();
    await truncate(big, 10 * INPUT_LIMIT_BYTES.collection);
    const file = await runWithPeakRss(['run', 'sparse.json', '-e', 'env.json'], 'ignore');
    expect(file.code, file.stderr).toBe(2);
    expect(file.stderr).toContain('collection sparse.json: holds more than 256 MB');
    expect(file.peakMb).toBeLessThan(200); // the CLI alone: the file's size is read, not the file
    await rm(big);
    // `run /dev/stdin < /dev/zero`-like: a pipe that never ends is read up to 256 MB, then refused.
    const pipe = await runWithPeakRss(['run', '/dev/stdin', '-e', 'env.json'], 'zeros');
    expect(pipe.code, pipe.stderr).toBe(2);
    expect(pipe.stderr).toContain('collection /dev/stdin: the pipe brought more than 256 MB, the most debug502 reads as a collection');
    expect(pipe.peakMb).toBeLessThan(256 + 200);
  }, 60_000);

  it('every kind has its limit, and the messages say it', () => {
    expect(Object.fromEntries(Object.entries(INPUT_LIMIT_BYTES).map(([kind, bytes]) => [kind, formatLimit(bytes)]))).toEqual({
      collection: '256 MB', v3File: '64 MB', environment: '64 MB', iterationData: '64 MB', config: '64 MB',
      openapi: '64 MB', rampReport: '256 MB', loadTestResults: '256 MB', nginxConf: '16 MB', gatewayConf: '16 MB', tlsFile: '4 MB',
    });
  });

  it('a truncated ramp.json is located by line and column (report --from)', async () => {
    await writeFile(join(dir, 'ramp.json'), '{\n  "schemaVersion": 2,\n  "targets": {\n    "gateway": {');
    const { code, text } = await cli(['report', '--from', 'ramp.json']);
    expect(code).toBe(2);
    expect(text).toMatch(/ramp\.json: not valid JSON at line 4, column 17: the text ends too early/);
  });
});
