/**
 * Transport error codes that mean "the TLS certificate did not verify" (OpenSSL's names as Node
 * reports them, and Node's own ERR_TLS_*): a self-signed staging gateway, an expired or
 * wrongly-named certificate. `-k/--insecure` accepts them; without it they are a `tls-problem`.
 */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED',
  'CERT_REJECTED', 'CERT_REVOKED', 'INVALID_CA', 'HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID', 'EPROTO',
]);

/** Whether `code` is a certificate verification failure (see TLS_CODES), or another TLS/SSL error. */
export function isTlsErrorCode(code: string): boolean {
  return TLS_CODES.has(code) || /^ERR_(TLS|SSL)_/.test(code);
}

/** The server's alerts that mean it wanted a client certificate (mutual TLS) or refused the one it got. */
const CLIENT_CERT_ALERT = /ALERT_(CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|ACCESS_DENIED)$/;
/** A chain the client could not verify up to a trusted root: a private CA, or one the server did not send. */
const UNTRUSTED_CHAIN = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED']);

/**
 * What to do about these TLS error codes, in newman's flags: a client certificate for a gateway
 * that asks for one, the private CA for a chain nobody trusts, `-k` for a self-signed certificate.
 */
export function describeTlsRemedy(codes: readonly string[]): string {
  const remedies: string[] = [];
  if (codes.some((code) => CLIENT_CERT_ALERT.test(code))) {
    remedies.push('the server asks for a client certificate (mutual TLS) or refused the one sent: give it with --ssl-client-cert FILE --ssl-client-key FILE (or --ssl-client-cert-list)');
  }
  if (codes.some((code) => UNTRUSTED_CHAIN.has(code))) {
    remedies.push('for a certificate a private CA signed, trust that CA with --ssl-extra-ca-certs CA.pem (or pass -k/--insecure)');
  }
  if (codes.includes('DEPTH_ZERO_SELF_SIGNED_CERT')) remedies.push('for a self-signed (staging) certificate pass -k/--insecure');
  if (remedies.length === 0) remedies.push('fix the certificate, or pass -k/--insecure to accept one that does not verify');
  return remedies.join('; ');
}
