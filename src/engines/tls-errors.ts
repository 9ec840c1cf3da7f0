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
