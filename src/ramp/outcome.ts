/**
 * What a finished ramp means for the person and the pipeline: the `--min-capacity` gate, the exit
 * code, and the few lines the CLI prints. Pure.
 */
import { EXIT, type ExitCode } from '../errors.js';
import type { RampReport, RampTarget, TargetResult } from '../model.js';
import { formatAverage } from '../report/format.js';
import { describeRampAnswer } from '../report/ramp/view/answer.js';
import { formatShare, heldStep } from './client-load.js';
import { levelOf, nameLevel, nameLevelIn } from '../facts/level.js';

export interface GateResult {
  passed: boolean;
  message: string;
}

/**
 * `--min-capacity N`: fails when the breaking point is below N. The gate judges what clients see —
 * the gateway when it was ramped, else the backend. With no breaking point, it fails only when the
 * ramp did not show the target holding at N (it stopped early, or levels stayed underdriven).
 * Returns undefined when no gate was set.
 */
export function checkMinCapacity(report: RampReport): GateResult | undefined {
  const n = report.meta.options.minCapacity;
  if (n === undefined) return undefined;
  const target: RampTarget = report.targets.gateway ? 'gateway' : 'backend';
  const result = report.targets[target];
  const bp = result?.breakingPoint;
  if (bp) {
    return levelOf(bp) < n
      ? { passed: false, message: `--min-capacity ${n}: the ${target} breaks at ${nameLevel(bp)}, below ${n}.` }
      : { passed: true, message: `--min-capacity ${n}: the ${target} breaks at ${nameLevel(bp)}, not below ${n}.` };
  }
  const held = result?.lastPassing ? levelOf(result.lastPassing) : 0;
  const heldText = nameLevelIn(report.meta.options.mode, held);
  return held >= n
    ? { passed: true, message: `--min-capacity ${n}: the ${target} held up to ${heldText}.` }
    : { passed: false, message: `--min-capacity ${n}: the ${target} was only shown to hold up to ${heldText}.` };
}

/** 130 interrupted · 3 safety stop or unreachable · 1 the --min-capacity gate failed · 0 otherwise. */
export function rampExitCode(report: RampReport): ExitCode {
  const aborted = report.meta.aborted;
  if (aborted?.reason === 'interrupted') return EXIT.interrupted;
  if (aborted) return EXIT.runtime;
  const gate = checkMinCapacity(report);
  return gate && !gate.passed ? EXIT.failed : EXIT.ok;
}

function describeTarget(target: RampTarget, result: TargetResult): string {
  const bp = result.breakingPoint;
  const requests = result.steps.reduce((n, s) => n + s.requests, 0);
  const steps = `${result.steps.length} step${result.steps.length === 1 ? '' : 's'}, ${requests} requests`;
  const first = result.first502AtRequest === null ? '' : `, first failure at request ${result.first502AtRequest}`;
  if (bp) {
    const held = result.lastPassing ? `, held at ${levelOf(result.lastPassing)}` : '';
    return `${target}: breaking point at ${nameLevel(bp)}${held} (${formatShare(bp.failureRate)} failed)${first} — ${steps}`;
  }
  const held = result.lastPassing ? `held up to ${nameLevel(result.lastPassing)}${describeHeldAverage(result)}` : 'no level passed';
  return `${target}: no breaking point, ${held}${result.underdriven ? ' (underdriven levels left it open)' : ''} — ${steps}`;
}

/**
 * " (avg 3.4 in flight)" for the step that showed the level holding, "" when unknown: "held up to 16"
 * means 16 at the peak, and the average says how much load that really was (see client-load.ts).
 */
function describeHeldAverage(result: TargetResult): string {
  const step = heldStep(result);
  return step?.avgInFlight === undefined ? '' : ` (avg ${formatAverage(step.avgInFlight)} in flight)`;
}

/**
 * The lines `debug502 ramp` prints at its end, the answer first: one line with the number and the
 * verdict, each target's breaking point (or how far it held), why, the next step, the caveats —
 * what the client could not vouch for, after the answer —, the stop and the gate, the report paths.
 */
export function formatRampSummary(report: RampReport, reportPaths: readonly string[]): string {
  const lines: string[] = ['', describeRampAnswer(report)];
  for (const target of ['gateway', 'backend'] as const) {
    const result = report.targets[target];
    if (result) lines.push(`  ${describeTarget(target, result)}`);
  }
  lines.push(report.verdict.message);
  if (report.verdict.next) lines.push(`next: ${report.verdict.next}`);
  for (const caveat of report.verdict.caveats ?? []) lines.push(`caveat: ${caveat}`);
  if (report.meta.aborted) lines.push(`stopped (${report.meta.aborted.reason}): ${report.meta.aborted.message}`);
  const gate = checkMinCapacity(report);
  if (gate) lines.push(`${gate.passed ? 'gate passed' : 'gate FAILED'}: ${gate.message}`);
  if (reportPaths.length > 0) lines.push(`reports: ${reportPaths.join(', ')}`);
  return lines.join('\n') + '\n';
}
