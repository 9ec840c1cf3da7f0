/**
 * A mutual-TLS gateway tested with newman's own flags (issue 27: "a mutual-TLS gateway tested with
 * newman's own flags"): run, ramp (newman and fast engines), diagnose and watch, through main(),
 * against a loopback HTTPS server that requires a client certificate and whose own certificate a
 * private CA signed (test-pki.ts). Without the flags every request fails with newman's words and
 * the advice names the flags; with --ssl-client-cert/--ssl-client-key/--ssl-extra-ca-certs every
 * request is answered and the server saw the client's certificate. Bad flags: exit 2, nothing sent.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { buildCollection, buildEnvironment } from '../../src/generate/index.js';
import type { ResolvedConfig } from '../../src/model.js';
import { hasOpenssl, makeTestPki, startTlsServer, type TestPki, type TlsServer } from '../engines/test-pki.js';

const OPENSSL = hasOpenssl();
if (!OPENSSL) console.log('skipped: openssl is not installed (apt-get install openssl): the test CA cannot be made');

let dir: string;
let pki: TestPki;
let server: TlsServer;
let collection: string;
let environment: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-tls-flags-'));
  if (!OPENSSL) return;
  pki = makeTestPki(dir);
  server = await startTlsServer(pki, true);
  const config: ResolvedConfig = {
    name: '502 Debugging',
    assertions: { maxResponseTimeMs: 5000 },
    environments: { mtls: { gateway_url: server.url, backend_url: `https://localhost:${server.port}`, secrets: [] } },
    health: { path: '/health', method: 'GET' },
    endpoints: [{ name: 'List users', method: 'GET', path: '/api/users', query: {}, headers: {} }],
  };
  collection = join(dir, 'collection.json');
  environment = join(dir, 'mtls.postman_environment.json');
  await writeFile(collection, JSON.stringify(buildCollection(config)));
  await writeFile(environment, JSON.stringify(buildEnvironment('mtls', config.environments.mtls)));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** newman's flags for this gateway: the client certificate, its key, and the private CA. Relative paths: they start at the working directory. */
const WITH_CERT = ['--ssl-client-cert', 'client.crt', '--ssl-client-key', 'client.key', '--ssl-extra-ca-certs', 'ca.crt'];
const CA_ONLY = ['--ssl-extra-ca-certs', 'ca.crt'];

async function cli(...argv: string[]) {
  const before = server.seen.length;
  const io = captureIo({ cwd: dir });
  const code = await main(argv, io);
  return { code, text: io.text(), seen: server.seen.slice(before) };
}

const live = OPENSSL ? describe : describe.skip;

live('run', () => {
  it('with the flags: every request answered, the gateway saw the client certificate', async () => {
    const { code, text, seen } = await cli('run', collection, '-e', environment, '-r', 'cli', ...WITH_CERT);
    expect(code, text).toBe(0);
    expect(seen.length).toBe(3);
    expect(new Set(seen)).toEqual(new Set(['debug502-client']));
  });

  it('without the client certificate: every request fails with newman\'s words, and the next step names the flags', async () => {
    const { code, text, seen } = await cli('run', collection, '-e', environment, '-r', 'cli', ...CA_ONLY);
    expect(code).toBe(1);
    expect(seen).toEqual([]);
    expect(text).toContain('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(text).toMatch(/--ssl-client-cert FILE --ssl-client-key FILE/);
  });

  it('an encrypted key with --ssl-client-passphrase: answered, and the passphrase is in no output', async () => {
    const { code, text, seen } = await cli('run', collection, '-e', environment, '-r', 'cli,json', '--report-dir', join(dir, 'run-reports'),
      '--ssl-client-cert', 'client.crt', '--ssl-client-key', 'client-encrypted.key', '--ssl-client-passphrase', pki.passphrase, ...CA_ONLY);
    expect(code, text).toBe(0);
    expect(seen.length).toBe(3);
    expect(text).not.toContain(pki.passphrase);
    expect(await readFile(join(dir, 'run-reports', 'run.json'), 'utf8')).not.toContain(pki.passphrase);
  });
});

live.each(['newman', 'fast'])('ramp --engine %s', (engine) => {
  const ramp = (...flags: string[]) => cli('ramp', collection, '-e', environment, '--engine', engine, '--target', 'both', '--start', '1', '--max', '1',
    '--requests-per-step', '4', '--workers', '1', '--report-dir', join(dir, `ramp-${engine}`), ...flags);

  it('with the flags: both targets ramped, every request with the client certificate', async () => {
    const { code, text, seen } = await ramp(...WITH_CERT);
    expect(code, text).toBe(0);
    expect(seen.length).toBeGreaterThanOrEqual(8);
    expect(new Set(seen)).toEqual(new Set(['debug502-client']));
  });

  it('without the client certificate: no load measured, the stop names the flags', async () => {
    const { code, text, seen } = await ramp(...CA_ONLY);
    expect(code).toBe(3);
    expect(seen).toEqual([]);
    expect(text).toContain('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(text).toMatch(/--ssl-client-cert FILE --ssl-client-key FILE/);
  });
});

live('diagnose', () => {
  it('with the flags: the TLS probe trusts the chain, every HTTP probe is answered', async () => {
    const { code, text, seen } = await cli('diagnose', '-e', environment, '--collection', collection, '--no-keepalive-probe', '-r', 'cli,json', '--report-dir', join(dir, 'diagnose-ok'), ...WITH_CERT);
    const report = JSON.parse(await readFile(join(dir, 'diagnose-ok', 'diagnose.json'), 'utf8'));
    const http = report.probes.filter((p: { kind: string }) => p.kind === 'direct-vs-gateway' || p.kind === 'health');
    expect(http.length, text).toBeGreaterThan(0);
    expect(http.map((p: { status?: number }) => p.status)).toEqual(http.map(() => 200));
    expect(report.probes.filter((p: { kind: string }) => p.kind === 'tls').map((p: { evidence: string }) => p.evidence).join('\n')).toMatch(/; trusted chain/);
    expect(seen.length).toBe(http.length);
    expect(new Set(seen)).toEqual(new Set(['debug502-client']));
    expect(code, text).toBe(0);
  });

  it('without the flags: the HTTP probes fail with newman\'s words, the TLS probe names the untrusted chain', async () => {
    const { text, seen } = await cli('diagnose', '-e', environment, '--collection', collection, '--no-keepalive-probe', '-r', 'json', '--report-dir', join(dir, 'diagnose-bad'));
    const report = JSON.parse(await readFile(join(dir, 'diagnose-bad', 'diagnose.json'), 'utf8'));
    const http = report.probes.filter((p: { kind: string }) => p.kind === 'direct-vs-gateway');
    expect(http.length, text).toBeGreaterThan(0);
    expect(new Set(http.map((p: { error?: string }) => p.error))).toEqual(new Set(['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED']));
    expect(report.probes.filter((p: { kind: string }) => p.kind === 'tls').map((p: { evidence: string }) => p.evidence).join('\n')).toMatch(/untrusted chain \(SELF_SIGNED_CERT_IN_CHAIN\)/);
    expect(seen).toEqual([]);
  });
});

live('watch', () => {
  const watch = (...flags: string[]) => cli('watch', '-e', environment, '--collection', collection, '--rate', '10/s', '--duration', '1s', '--window', '1s',
    '--arrivals', 'uniform', '--target', 'both', '-r', 'json', '--report-dir', join(dir, `watch-${flags.length}`), ...flags);

  it('with the flags: every request answered with the client certificate', async () => {
    const { code, text, seen } = await watch(...WITH_CERT);
    expect(code, text).toBe(0);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['debug502-client']));
  });

  it('without the client certificate: every request fails, the server saw none', async () => {
    const { code, seen } = await watch(...CA_ONLY);
    expect(code).toBe(1);
    expect(seen).toEqual([]);
    const report = JSON.parse(await readFile(join(dir, `watch-${CA_ONLY.length}`, 'watch.json'), 'utf8'));
    expect(JSON.stringify(report)).toContain('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  });
});

live('bad TLS flags: exit 2 naming the flag, nothing sent', () => {
  it.each(['run', 'ramp', 'diagnose', 'watch'])('%s', async (command) => {
    const first = command === 'run' || command === 'ramp' ? [collection] : ['--collection', collection];
    for (const [flags, words] of [
      [['--ssl-client-key', 'client.key'], /--ssl-client-key without --ssl-client-cert/],
      [['--ssl-client-cert', 'client.crt', '--ssl-client-key', 'client-encrypted.key', '--ssl-client-passphrase', 'wrong'], /passphrase does not open the key/],
      [['--ssl-extra-ca-certs', 'missing-ca.pem'], /--ssl-extra-ca-certs missing-ca\.pem/],
    ] as const) {
      const { code, text, seen } = await cli(command, ...first, '-e', environment, ...flags);
      expect(code, text).toBe(2);
      expect(text).toMatch(words);
      expect(seen).toEqual([]);
    }
  });
});
