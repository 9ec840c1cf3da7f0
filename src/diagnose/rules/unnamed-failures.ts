import { describeMethods } from './answers-evidence.js';
import { describeGatewayAnswers, logLabel, weighEvidence, type DiagnoseRule } from './evidence.js';
import { failureStatuses } from './gateway-terms.js';

/**
 * No false all-clear: upstream failures the logs show but no rule names — an error line of words no
 * rule knows, or failed answers of an access log no line explains (varnishncsa's 503s, Apache's or
 * Caddy's access log alone, nginx's 502s without its error log). They are a finding, saying so,
 * never "no cause found". Medium when nothing else was found, low beside named causes.
 */
export const unnamedFailures: DiagnoseRule = (evidence) => {
  const log = evidence.log;
  if (!log) return undefined;
  const lines: string[] = [];
  const answers = Object.entries(log.unexplained ?? {});
  const answerCount = answers.reduce((n, [, c]) => n + c, 0);
  if (answerCount > 0) {
    const shown = answers.map(([status, n]) => `${n} × ${status}${log.answers?.methods[status] ? ` (${describeMethods(log.answers.methods[status])})` : ''}`).join(', ');
    const who = evidence.gateway ? `${evidence.gateway.name} answers ${answers.map(([s]) => s).join('/')} for more than one cause` : 'the gateway\'s kind is not known, so its status table cannot be read either';
    lines.push(`${logLabel(log)}: ${answerCount} failed answer(s) diagnose cannot name: ${shown} — an access line says what the client got, not why, and ${who}`);
    for (const [status] of answers) if (log.answers?.samples[status]) lines.push(`  e.g. ${log.answers.samples[status]}`);
  }
  const unnamed = log.unnamed;
  if (unnamed && unnamed.count > 0) {
    lines.push(`${logLabel(log)}: ${unnamed.count} line(s) show upstream failures diagnose cannot name, e.g.`);
    for (const sample of unnamed.samples) lines.push(`  ${sample}`);
  }
  if (lines.length === 0) return undefined;
  const gateway = describeGatewayAnswers(evidence, failureStatuses(evidence));
  if (gateway) lines.push(gateway);
  return {
    finding: {
      code: 'unclassified',
      confidence: Object.keys(log.causes).length > 0 ? 'low' : 'medium',
      evidence: lines,
      next: 'Read the gateway\'s own error log around these failures and give it beside the access log (--log error.log --log access.log: nginx error_log, Apache ErrorLog, Caddy\'s runtime log, varnishlog -g request); with --environment the probes test the backend directly.',
    },
    weight: weighEvidence(0, answerCount + (unnamed?.count ?? 0)),
  };
};
