import type { Confidence } from '../../model.js';
import {
  describeLogCause, foreignUpstreams, hostPort, logCause, logLabel, logPointsAtBackend, probesOf, PROBE_WEIGHT, UPSTREAM_FAILURE_CAUSES, weighEvidence,
  type DiagnoseEvidence, type DiagnoseRule,
} from './evidence.js';
import { failureStatuses, wordsOf } from './gateway-terms.js';
import { CONFIDENCE_ORDER } from './rank-findings.js';

/**
 * The gateway, not the backend, is wrong. Four kinds of evidence:
 * - the guide's test without the gateway: a request fails through the gateway (502) while the
 *   backend answers it directly;
 * - the log shows the gateway talking to an address that is not backend_url's (stale address, wrong port);
 * - gateway-setting errors in the log ("upstream sent too big header", "no resolver defined", …);
 * - the gateway itself cannot be reached (gateway_url wrong or the gateway not running).
 */
export const gatewayMisconfigured: DiagnoseRule = (evidence) => {
  const lines: string[] = [];
  let confidence: Confidence | undefined;
  let weight = 0;
  const raise = (to: Confidence) => {
    if (!confidence || CONFIDENCE_ORDER.indexOf(to) < CONFIDENCE_ORDER.indexOf(confidence)) confidence = to;
  };

  const foreign = foreignAddresses(evidence);
  const split = directOkGatewayFails(evidence);
  if (split.length > 0) {
    lines.push(`direct calls succeed but gateway calls fail: ${split.join('; ')}`);
    // When the log shows the gateway reaching the backend itself, the log's cause explains the 502s better.
    const reachesBackend = UPSTREAM_FAILURE_CAUSES.some((code) => {
      const cause = logCause(evidence, code);
      return cause !== undefined && logPointsAtBackend(evidence, cause);
    });
    raise(reachesBackend && foreign.length === 0 ? 'medium' : 'high');
    weight += weighEvidence(split.length);
  }
  if (foreign.length > 0) {
    lines.push(`${logLabel(evidence.log)}: the gateway connects to ${foreign.join(', ')}, but backend_url is ${hostPort(evidence.backendUrl!)}`);
    raise(probesOf(evidence, 'tcp', 'backend').some((p) => p.ok) ? 'high' : 'medium');
    weight += PROBE_WEIGHT;
  }
  const settings = logCause(evidence, 'gateway-misconfigured');
  if (settings) {
    lines.push(describeLogCause(settings, 'gateway setting errors', evidence.log, 'gateway-misconfigured'));
    raise(split.length > 0 ? 'high' : 'medium');
    weight += weighEvidence(0, settings.count);
  }
  const gatewayDown = [...probesOf(evidence, 'dns', 'gateway'), ...probesOf(evidence, 'tcp', 'gateway')].filter((p) => !p.ok);
  for (const p of gatewayDown) {
    lines.push(`${p.kind} probe (gateway): ${p.evidence} — is gateway_url right and the gateway running?`);
    raise('medium');
    weight += PROBE_WEIGHT / 2;
  }
  if (!confidence) return undefined;
  return {
    finding: {
      code: 'gateway-misconfigured',
      confidence,
      evidence: lines,
      next: describeFix(evidence),
    },
    weight,
  };
};

/** The fix in the gateway's own words; unknown kind: several gateways' words, named as such. */
function describeFix(evidence: DiagnoseEvidence): string {
  const words = wordsOf(evidence);
  const check = words.configTest ? `check with ${words.configTest}` : 'check it';
  return `Fix the gateway configuration: the upstream address and port in ${words.upstream} must be the backend's (and its timeouts and buffers sane); ${check}, then reload${words.reload ? ` (${words.reload})` : ''}.`;
}

/**
 * "GET /api/users: gateway 502, direct 200" for each request that only fails through the gateway —
 * with the gateway's own failure statuses (Varnish 503); unknown kind: 502 (a 503 or 504 alone is no
 * sign that the gateway, rather than what it waited for, is wrong).
 */
function directOkGatewayFails(evidence: DiagnoseEvidence): string[] {
  const probes = probesOf(evidence, 'direct-vs-gateway');
  const statuses = evidence.gateway ? failureStatuses(evidence).filter((s) => s !== 504) : [502];
  const out: string[] = [];
  for (const gateway of probes.filter((p) => p.route === 'gateway' && p.status !== undefined && statuses.includes(p.status))) {
    const direct = probes.find((p) => p.route === 'backend' && p.request === gateway.request);
    if (direct && direct.ok && direct.status !== undefined && direct.status < 500) {
      out.push(`${gateway.request}: gateway ${gateway.status}, direct ${direct.status}`);
    }
  }
  return out;
}

/**
 * Upstream addresses in the log that are not the backend's, over every addressed cause — only when
 * the log never names the backend's own address: an upstream block with several servers lists the
 * backend beside its peers, and that is no misconfiguration.
 */
function foreignAddresses(evidence: DiagnoseEvidence): string[] {
  const causes = UPSTREAM_FAILURE_CAUSES.map((code) => logCause(evidence, code)).filter((c) => c !== undefined);
  if (causes.some((cause) => logPointsAtBackend(evidence, cause))) return [];
  return [...new Set(causes.flatMap((cause) => foreignUpstreams(evidence, cause)))];
}
