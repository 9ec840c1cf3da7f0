/**
 * A private certificate authority made for a test with the system's `openssl` (Debian has it), in a
 * temp dir: a CA, a server certificate it signed for 127.0.0.1 and localhost, and two client
 * certificates it signed (one with its key encrypted by a passphrase). Nothing is committed: the
 * keys live as long as the test. `startTlsServer` serves HTTPS on 127.0.0.1:0 with it, asking for
 * a client certificate (mutual TLS, `requestCert` + `rejectUnauthorized`) or not.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  /** CN=debug502-client; its key plain, and encrypted with `passphrase`. */
  clientCert: string;
  clientKey: string;
  clientKeyEncrypted: string;
  passphrase: string;
  /** CN=debug502-other, a second client of the same CA. */
  otherCert: string;
  otherKey: string;
}

/** Whether `openssl` runs here; the tests that need it skip (saying so) without it. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function makeTestPki(dir: string): TestPki {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=debug502 test CA');
  const sign = (name: string, cn: string, ext: string) => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
  };
  sign('server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  sign('client', 'debug502-client', 'extendedKeyUsage=clientAuth\n');
  sign('other', 'debug502-other', 'extendedKeyUsage=clientAuth\n');
  const passphrase = 'pass-4711-phrase';
  run('pkey', '-in', 'client.key', '-aes256', '-passout', `pass:${passphrase}`, '-out', 'client-encrypted.key');
  const at = (name: string) => join(dir, name);
  return {
    dir, ca: at('ca.crt'), serverCert: at('server.crt'), serverKey: at('server.key'),
    clientCert: at('client.crt'), clientKey: at('client.key'), clientKeyEncrypted: at('client-encrypted.key'), passphrase,
    otherCert: at('other.crt'), otherKey: at('other.key'),
  };
}

export interface TlsServer {
  url: string;
  port: number;
  /** The client certificate's CN of each request that got through ('' when none was presented), in order. */
  seen: string[];
  close(): Promise<void>;
}

/** HTTPS on 127.0.0.1:0 with the PKI's server certificate; `mutual`: a client certificate of its CA is required. Answers 200. */
export async function startTlsServer(pki: TestPki, mutual: boolean): Promise<TlsServer> {
  const seen: string[] = [];
  const server: Server = createServer(
    { cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), ca: readFileSync(pki.ca), requestCert: mutual, rejectUnauthorized: mutual },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      seen.push(peer && typeof peer.subject?.CN === 'string' ? peer.subject.CN : '');
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    seen,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
