/**
 * newman's TLS flags — `--ssl-client-cert`, `--ssl-client-key`, `--ssl-client-passphrase`,
 * `--ssl-client-cert-list`, `--ssl-extra-ca-certs` — read once, before anything is sent, so that
 * every engine and probe (newman, the fast engine, diagnose, watch) presents the same client
 * certificate to the same URLs and trusts the same extra CAs.
 *
 * newman's semantics (lib/run/index.js, postman-runtime's certificate resolution): the certificate
 * list is tried in order and the first entry whose `matches` (URL match patterns, https only)
 * fit the request's URL is sent; `--ssl-client-cert` (with its key and passphrase) joins the end
 * of the list matching every URL. Relative paths start at `--working-dir` (default: the current
 * directory), as newman's file resolver reads them. `--ssl-extra-ca-certs` is trusted besides the
 * default roots (postman-request adds it to the secure context: `addCACert`).
 *
 * Stricter than newman, which warns and sends the request without the certificate: a file that
 * cannot be read, a key that does not fit its certificate, a wrong passphrase, a key given
 * without its certificate (or the other way round) is an InputError before any request (exit 2).
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import { resolve } from 'node:path';
import sdk from 'postman-collection';
import { InputError } from '../errors.js';
import { readInputBytes } from '../fs/read-input.js';
import { isInsideDirectory } from './file-references.js';
import { parseJsonFile } from './parse-json.js';
import { noteSecretValues } from './secret-scope.js';

/** The TLS flags as given on the command line (paths as typed). */
export interface ClientTlsOptions {
  clientCert?: string;
  clientKey?: string;
  clientPassphrase?: string;
  clientCertList?: string;
  extraCaCerts?: string;
}

/** A file read for TLS: where it is (absolute) and what it holds (PEM text, or a PKCS#12 bundle in base64). */
export interface TlsFile {
  src: string;
  value: string;
}

/** One entry of newman's client certificate list, its files read. Plain data: it crosses to worker threads. */
export interface ClientCertificate {
  name: string;
  /** URL match patterns (`https://gw.example.com/*`, `<all_urls>`): the first entry that matches a request's URL is sent. */
  matches: string[];
  cert?: TlsFile;
  key?: TlsFile;
  /** A PKCS#12 bundle instead of cert and key; `value` in base64. */
  pfx?: TlsFile;
  passphrase?: string;
}

/** What the TLS flags amount to, read and checked. */
export interface ClientTls {
  certificates: ClientCertificate[];
  /** `--ssl-extra-ca-certs`: PEM, trusted besides the default roots. */
  extraCa?: TlsFile;
}

/** Where TLS files are read from: newman's `--working-dir` and `--no-insecure-file-read`, as the collection's files are. */
export interface TlsFileAccess {
  cwd: string;
  workingDir?: string;
  /** false: a file outside the working directory is refused (only when `--no-insecure-file-read` was given). */
  insecureFileRead?: boolean;
  signal?: AbortSignal;
}

/** newman's name for the `--ssl-client-cert` entry, and its pattern (postman-collection's UrlMatchPattern.MATCH_ALL_URLS). */
const CLIENT_CERT_NAME = 'client-cert';
const ALL_URLS = '<all_urls>';

/**
 * Reads and checks the TLS flags; undefined when none is given. Throws InputError naming the flag
 * and the file for anything newman would silently send without (see the file comment).
 */
export async function loadClientTls(options: ClientTlsOptions, access: TlsFileAccess): Promise<ClientTls | undefined> {
  const given = Object.values(options).some((value) => value !== undefined);
  if (!given) return undefined;
  if (options.clientCert === undefined && (options.clientKey !== undefined || options.clientPassphrase !== undefined)) {
    const flag = options.clientKey !== undefined ? '--ssl-client-key' : '--ssl-client-passphrase';
    throw new InputError(`${flag} without --ssl-client-cert: newman sends no client certificate then`, [], 'give the certificate with --ssl-client-cert FILE (PEM), its key with --ssl-client-key FILE');
  }
  if (options.clientCert !== undefined && options.clientKey === undefined) {
    throw new InputError('--ssl-client-cert without --ssl-client-key: newman sends no client certificate without its key', [],
      'give the private key with --ssl-client-key FILE (a PEM file that holds both may be given to both flags)');
  }
  const certificates = options.clientCertList === undefined ? [] : await loadCertificateList(options.clientCertList, access);
  if (options.clientCert !== undefined) {
    certificates.push(await checkCertificate({
      name: CLIENT_CERT_NAME,
      matches: [ALL_URLS],
      cert: await readTlsFile('--ssl-client-cert', options.clientCert, access),
      key: await readTlsFile('--ssl-client-key', options.clientKey!, access),
      ...(options.clientPassphrase !== undefined ? { passphrase: options.clientPassphrase } : {}),
    }, '--ssl-client-cert'));
  }
  noteSecretValues(certificates.flatMap((c) => (c.passphrase ? [c.passphrase] : [])));
  const extraCa = options.extraCaCerts === undefined ? undefined : await readExtraCa(options.extraCaCerts, access);
  return { certificates, ...(extraCa ? { extraCa } : {}) };
}

/**
 * The certificate newman would send to `url` (the request's URL, variables resolved), or
 * undefined: the first entry whose patterns match, for https URLs only (postman-collection's
 * CertificateList.resolveOne, the function postman-runtime calls).
 */
export function findClientCertificate(tls: ClientTls | undefined, url: string): ClientCertificate | undefined {
  if (!tls || tls.certificates.length === 0) return undefined;
  const found = certificateListOf(tls).resolveOne(url) as { id?: string } | undefined;
  return found?.id === undefined ? undefined : tls.certificates[Number(found.id)];
}

/**
 * A secure context for connections to a URL `certificate` was found for (or none): the client
 * certificate, and the default roots plus the extra CA. Undefined when neither applies (Node's
 * default context then). Build it once per connection pool: it parses the files.
 */
export function createClientSecureContext(tls: ClientTls | undefined, certificate: ClientCertificate | undefined): SecureContext | undefined {
  if (!tls || (!certificate && !tls.extraCa)) return undefined;
  const context = createSecureContext(certificate ? certificateOptions(certificate) : {});
  if (tls.extraCa) addCaCert(context, tls.extraCa.value);
  return context;
}

const contexts = new WeakMap<ClientTls, Map<ClientCertificate | undefined, SecureContext | undefined>>();

/**
 * The secure context for a request to `url`: createClientSecureContext of the certificate newman
 * would send there, made once per certificate and kept (for probes and watch's requests, each on
 * a fresh connection). Undefined without TLS flags.
 */
export function secureContextFor(tls: ClientTls | undefined, url: string): SecureContext | undefined {
  if (!tls) return undefined;
  let byCertificate = contexts.get(tls);
  if (!byCertificate) contexts.set(tls, (byCertificate = new Map()));
  const certificate = findClientCertificate(tls, url);
  if (!byCertificate.has(certificate)) byCertificate.set(certificate, createClientSecureContext(tls, certificate));
  return byCertificate.get(certificate);
}

/** postman-request's way of trusting an extra CA besides the default roots (request.js: secureContext.context.addCACert). */
export function addCaCert(context: SecureContext, pem: string): void {
  (context as unknown as { context: { addCACert(pem: string): void } }).context.addCACert(pem);
}

/** The node:tls options of a certificate entry. */
function certificateOptions(certificate: ClientCertificate) {
  return {
    ...(certificate.pfx ? { pfx: Buffer.from(certificate.pfx.value, 'base64') } : {}),
    ...(certificate.cert ? { cert: certificate.cert.value } : {}),
    ...(certificate.key ? { key: certificate.key.value } : {}),
    ...(certificate.passphrase !== undefined ? { passphrase: certificate.passphrase } : {}),
  };
}

/** The newman options for these flags: a certificate list of absolute paths (postman-runtime reads them itself). */
export function newmanCertificateList(tls: ClientTls | undefined): object[] | undefined {
  if (!tls || tls.certificates.length === 0) return undefined;
  return tls.certificates.map(({ name, matches, cert, key, pfx, passphrase }) => ({
    name,
    matches,
    ...(cert ? { cert: { src: cert.src } } : {}),
    ...(key ? { key: { src: key.src } } : {}),
    ...(pfx ? { pfx: { src: pfx.src } } : {}),
    ...(passphrase !== undefined ? { passphrase } : {}),
  }));
}

const lists = new WeakMap<ClientTls, sdk.CertificateList>();

function certificateListOf(tls: ClientTls): sdk.CertificateList {
  let list = lists.get(tls);
  if (!list) {
    list = new sdk.CertificateList({}, tls.certificates.map((c, i) => ({ id: String(i), name: c.name, matches: c.matches })) as never);
    lists.set(tls, list);
  }
  return list;
}

async function loadCertificateList(file: string, access: TlsFileAccess): Promise<ClientCertificate[]> {
  const flag = '--ssl-client-cert-list';
  const hint = 'a JSON array of { "name", "matches": ["https://host/*"], "cert": { "src": FILE }, "key": { "src": FILE }, "passphrase" } (or "pfx": { "src": FILE }), as newman takes it';
  const path = resolvePath(flag, file, access);
  const text = (await readInputBytes(path, { kind: 'tlsFile', label: `${flag} ${file}`, hint, signal: access.signal })).toString('utf8');
  const json = parseJsonFile(text, file, hint);
  if (!Array.isArray(json)) throw new InputError(`${flag} ${file}: expected an array of certificate entries`, [], hint);
  const problems: string[] = [];
  json.forEach((entry, i) => {
    const e = entry as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null) return problems.push(`[${i}]: must be an object`);
    if (!Array.isArray(e.matches) || e.matches.length === 0 || !e.matches.every((m) => typeof m === 'string' && m !== '')) problems.push(`[${i}].matches: must be a non-empty array of URL patterns, e.g. ["https://gw.example.com/*"]`);
    const src = (key: string) => (e[key] as { src?: unknown } | undefined)?.src;
    for (const key of ['cert', 'key', 'pfx']) if (e[key] !== undefined && (typeof src(key) !== 'string' || src(key) === '')) problems.push(`[${i}].${key}.src: must be a file path`);
    if (e.pfx === undefined && (e.cert === undefined || e.key === undefined)) problems.push(`[${i}]: needs "cert" and "key" (or "pfx"): newman sends no certificate without them`);
    if (e.passphrase !== undefined && typeof e.passphrase !== 'string') problems.push(`[${i}].passphrase: must be a string`);
    return undefined;
  });
  if (problems.length > 0) throw new InputError(`${flag} ${file}: not a client certificate list`, problems, hint);
  const certificates: ClientCertificate[] = [];
  for (const [i, entry] of (json as Record<string, any>[]).entries()) {
    const where = `${flag} ${file} [${i}]`;
    const read = async (key: 'cert' | 'key' | 'pfx') => (entry[key] === undefined ? undefined : readTlsFile(`${where}.${key}`, entry[key].src, access, key === 'pfx'));
    const [cert, key, pfx] = [await read('cert'), await read('key'), await read('pfx')];
    certificates.push(await checkCertificate({
      name: typeof entry.name === 'string' && entry.name !== '' ? entry.name : `entry ${i}`,
      matches: entry.matches,
      ...(pfx ? { pfx } : { cert, key }),
      ...(entry.passphrase !== undefined ? { passphrase: entry.passphrase } : {}),
    }, where));
  }
  return certificates;
}

async function readExtraCa(file: string, access: TlsFileAccess): Promise<TlsFile> {
  const ca = await readTlsFile('--ssl-extra-ca-certs', file, access);
  if (!ca.value.includes('-----BEGIN CERTIFICATE-----')) {
    throw new InputError(`--ssl-extra-ca-certs ${file}: no PEM certificate in it (-----BEGIN CERTIFICATE-----)`, [], 'give the CA certificate(s) in PEM, e.g. openssl x509 -in ca.der -inform der -out ca.pem');
  }
  try {
    addCaCert(createSecureContext({}), ca.value);
  } catch (error) {
    throw new InputError(`--ssl-extra-ca-certs ${file}: not a usable CA certificate (${(error as Error).message})`, [], 'give the CA certificate(s) in PEM');
  }
  return ca;
}

/** The certificate checked as node:tls would use it: the key fits the certificate, the passphrase opens the key. */
async function checkCertificate(certificate: ClientCertificate, where: string): Promise<ClientCertificate> {
  try {
    createSecureContext(certificateOptions(certificate));
  } catch (error) {
    const message = (error as Error).message;
    const why = /bad decrypt|bad password|passphrase|mac verify/i.test(message)
      ? certificate.passphrase === undefined ? 'the key is encrypted: give its --ssl-client-passphrase' : 'the passphrase does not open the key'
      : /key values mismatch/i.test(message) ? 'the key is not the certificate\'s' : message;
    throw new InputError(`${where}: the client certificate cannot be used: ${why}`, [], 'check the certificate, its key and the passphrase (openssl x509 -noout -modulus / openssl rsa -noout -modulus should agree)');
  }
  return certificate;
}

async function readTlsFile(flag: string, file: string, access: TlsFileAccess, binary = false): Promise<TlsFile> {
  const src = resolvePath(flag, file, access);
  const bytes = await readInputBytes(src, { kind: 'tlsFile', label: `${flag} ${file}`, hint: `check the ${flag.split(' ')[0]} path`, signal: access.signal });
  return { src, value: bytes.toString(binary ? 'base64' : 'utf8') };
}

function resolvePath(flag: string, file: string, access: TlsFileAccess): string {
  const workingDir = resolve(access.cwd, access.workingDir ?? '.');
  const path = resolve(workingDir, file);
  if (access.insecureFileRead === false && !isInsideDirectory(path, workingDir)) {
    throw new InputError(`${flag} ${file}: outside the working directory ${workingDir} (--no-insecure-file-read)`, [], 'put the file inside --working-dir, or drop --no-insecure-file-read');
  }
  return path;
}
