/**
 * newman's TLS flags in both engines, against real loopback HTTPS servers made from a private CA
 * (test-pki.ts, openssl in a temp dir): one that requires a client certificate (mutual TLS) and
 * one whose certificate only the private CA vouches for. Without the flags both engines fail with
 * the same code and words; with them both get the answers, presenting the certificate newman
 * would (--ssl-client-cert, or the first --ssl-client-cert-list entry whose pattern matches).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineInput } from '../../src/engines/engine.js';
import { runFast } from '../../src/engines/fast.js';
import { runNewman } from '../../src/engines/newman.js';
import type { RequestOutcome } from '../../src/model.js';
import { loadClientTls, type ClientTlsOptions } from '../../src/postman/client-tls.js';
import { InputError } from '../../src/errors.js';
import { hasOpenssl, makeTestPki, startTlsServer, type TestPki, type TlsServer } from './test-pki.js';

const OPENSSL = hasOpenssl();
if (!OPENSSL) console.log('skipped: openssl is not installed (apt-get install openssl): the test CA cannot be made');

let dir: string;
let pki: TestPki;
let mutual: TlsServer;
let privateCa: TlsServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'debug502-client-tls-'));
  if (!OPENSSL) return;
  pki = makeTestPki(dir);
  mutual = await startTlsServer(pki, true);
  privateCa = await startTlsServer(pki, false);
});
afterAll(async () => {
  await mutual?.close();
  await privateCa?.close();
  await rm(dir, { recursive: true, force: true });
});

const collection = (base: string) => ({
  info: { name: 'tls', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  item: [{ name: 'a', request: { method: 'GET', url: `${base}/a` } }, { name: 'b', request: { method: 'GET', url: `${base}/b` } }],
});

const ENGINES = { newman: runNewman, fast: runFast } as const;

async function outcomesOf(engine: keyof typeof ENGINES, base: string, tls: ClientTlsOptions, input: Partial<EngineInput> = {}): Promise<RequestOutcome[]> {
  const outcomes: RequestOutcome[] = [];
  const loaded = await loadClientTls(tls, { cwd: dir });
  await ENGINES[engine]({ collection: collection(base), timeoutRequestMs: 5000, ...(loaded ? { tls: loaded } : {}), ...input }, { onOutcome: (o) => outcomes.push(o) });
  return outcomes;
}

const words = (outcomes: RequestOutcome[]) => outcomes.map((o) => o.status ?? `${o.error}: ${o.errorMessage}`);

const live = OPENSSL ? describe : describe.skip;

live('a gateway whose certificate a private CA signed', () => {
  it('without --ssl-extra-ca-certs: both engines refuse it with the same code and words', async () => {
    const [newman, fast] = [await outcomesOf('newman', privateCa.url, {}), await outcomesOf('fast', privateCa.url, {})];
    // The server sends the CA with its certificate: a chain ending in a root nobody trusts.
    expect(newman.map((o) => o.error)).toEqual(['SELF_SIGNED_CERT_IN_CHAIN', 'SELF_SIGNED_CERT_IN_CHAIN']);
    expect(words(fast)).toEqual(words(newman));
  });

  it.each(['newman', 'fast'] as const)('%s: with --ssl-extra-ca-certs it verifies and answers', async (engine) => {
    expect(words(await outcomesOf(engine, privateCa.url, { extraCaCerts: pki.ca }))).toEqual([200, 200]);
  });
});

live('a gateway that requires a client certificate (mutual TLS)', () => {
  it('without one: both engines fail with the same code and words, the server saw no request', async () => {
    const before = mutual.seen.length;
    const newman = await outcomesOf('newman', mutual.url, { extraCaCerts: pki.ca });
    const fast = await outcomesOf('fast', mutual.url, { extraCaCerts: pki.ca });
    // TLS 1.3: the server's alert 116 once the handshake is done.
    expect(newman.map((o) => o.error)).toEqual(['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED']);
    expect(newman[0].errorMessage).toMatch(/alert certificate required/);
    expect(fast.map((o) => o.error)).toEqual(newman.map((o) => o.error));
    expect(mutual.seen.length).toBe(before);
  });

  it.each(['newman', 'fast'] as const)('%s: --ssl-client-cert and --ssl-client-key: answered, the server saw the certificate', async (engine) => {
    const before = mutual.seen.length;
    const outcomes = await outcomesOf(engine, mutual.url, { clientCert: pki.clientCert, clientKey: pki.clientKey, extraCaCerts: pki.ca });
    expect(words(outcomes)).toEqual([200, 200]);
    expect(mutual.seen.slice(before)).toEqual(['debug502-client', 'debug502-client']);
  });

  it.each(['newman', 'fast'] as const)('%s: an encrypted key with --ssl-client-passphrase', async (engine) => {
    const outcomes = await outcomesOf(engine, mutual.url, { clientCert: pki.clientCert, clientKey: pki.clientKeyEncrypted, clientPassphrase: pki.passphrase, extraCaCerts: pki.ca });
    expect(words(outcomes)).toEqual([200, 200]);
  });

  it.each(['newman', 'fast'] as const)('%s: --ssl-client-cert-list sends the first entry whose pattern matches; --ssl-client-cert comes after it', async (engine) => {
    const list = join(dir, `list-${engine}.json`);
    await writeFile(list, JSON.stringify([
      { name: 'elsewhere', matches: ['https://gw.example.invalid/*'], cert: { src: pki.clientCert }, key: { src: pki.clientKey } },
      // Relative paths start at the working directory, as newman's file resolver reads them.
      { name: 'this one', matches: [`https://127.0.0.1:${mutual.port}/*`], cert: { src: 'other.crt' }, key: { src: 'other.key' } },
    ]));
    const before = mutual.seen.length;
    const outcomes = await outcomesOf(engine, mutual.url, { clientCertList: list, clientCert: pki.clientCert, clientKey: pki.clientKey, extraCaCerts: pki.ca });
    expect(words(outcomes)).toEqual([200, 200]);
    expect(mutual.seen.slice(before)).toEqual(['debug502-other', 'debug502-other']);
  });

  it.each(['newman', 'fast'] as const)('%s: a list entry for another host only: no certificate sent, refused', async (engine) => {
    const list = join(dir, `list-other-${engine}.json`);
    await writeFile(list, JSON.stringify([{ name: 'elsewhere', matches: ['https://gw.example.invalid/*'], cert: { src: pki.clientCert }, key: { src: pki.clientKey } }]));
    const outcomes = await outcomesOf(engine, mutual.url, { clientCertList: list, extraCaCerts: pki.ca });
    expect(outcomes.every((o) => o.status === undefined)).toBe(true);
  });
});

live('bad TLS flags are refused before anything is sent (exit 2)', () => {
  const refused = async (options: ClientTlsOptions) => {
    const error = await loadClientTls(options, { cwd: dir }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  };

  it('a key without its certificate, a certificate without its key', async () => {
    expect(await refused({ clientKey: 'client.key' })).toMatch(/--ssl-client-key without --ssl-client-cert/);
    expect(await refused({ clientCert: 'client.crt' })).toMatch(/--ssl-client-cert without --ssl-client-key/);
  });

  it('a wrong or missing passphrase, a key that is not the certificate\'s', async () => {
    expect(await refused({ clientCert: 'client.crt', clientKey: 'client-encrypted.key', clientPassphrase: 'wrong' })).toMatch(/passphrase does not open the key/);
    expect(await refused({ clientCert: 'client.crt', clientKey: 'client-encrypted.key' })).toMatch(/encrypted: give its --ssl-client-passphrase/);
    expect(await refused({ clientCert: 'client.crt', clientKey: 'other.key' })).toMatch(/not the certificate's/);
  });

  it('a missing file, a CA file with no certificate, a list that is not one', async () => {
    expect(await refused({ extraCaCerts: 'nope.pem' })).toMatch(/--ssl-extra-ca-certs nope\.pem/);
    expect(await refused({ extraCaCerts: 'client.key' })).toMatch(/no PEM certificate/);
    await writeFile(join(dir, 'bad-list.json'), JSON.stringify([{ name: 'x', matches: [] }]));
    expect(await refused({ clientCertList: 'bad-list.json' })).toMatch(/not a client certificate list/);
  });

  it('--no-insecure-file-read: a file outside --working-dir is refused', async () => {
    const error = await loadClientTls({ extraCaCerts: pki.ca }, { cwd: dir, workingDir: join(dir, 'sub'), insecureFileRead: false }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/outside the working directory/);
  });
});
