import type { Confidence } from '../../model.js';
import { describeGatewayAnswers, describeLogCause, logCause, probesOf, weighEvidence, type DiagnoseRule } from './evidence.js';

/**
 * TLS to the backend (or the gateway) fails: a failed TLS probe (handshake, expired or
 * not-yet-valid certificate, wrong host name), or SSL errors in the nginx log.
 */
export const tlsProblem: DiagnoseRule = (evidence) => {
  const failed = probesOf(evidence, 'tls').filter((p) => !p.ok);
  const log = logCause(evidence, 'tls-problem');
  if (failed.length === 0 && !log) return undefined;
  const lines = failed.map((p) => `tls probe (${p.route}): ${p.evidence}`);
  if (log) lines.push(describeLogCause(log, '"SSL_do_handshake() failed" / certificate errors', evidence.log, 'tls-problem'));
  const gateway = describeGatewayAnswers(evidence, [502]);
  if (gateway) lines.push(gateway);
  const confidence: Confidence = failed.length > 0 || gateway ? 'high' : 'medium';
  return {
    finding: {
      code: 'tls-problem',
      confidence,
      evidence: lines,
      next: 'Fix the certificate (renew it, or make it name the host the gateway connects to) or the gateway\'s TLS settings to the backend (proxy_ssl_server_name on; proxy_ssl_name; proxy_ssl_protocols).',
    },
    weight: weighEvidence(failed.length, log?.count),
  };
};
