import { levelOf, nameLevel } from '../../../facts/level.js';
import type { RampReport, RampTarget, TargetResult } from '../../../model.js';
import { listTargets } from './summarize.js';

const BOTH = 'gateway and backend';

/** Where one target stands: "concurrency 9", or how far it held without breaking. */
function describeHold(result: TargetResult): string {
  if (result.steps.length === 0) return 'no step completed';
  if (result.lastPassing) return `held up to ${nameLevel(result.lastPassing)}${result.underdriven ? ', underdriven above' : ''}`;
  return result.underdriven ? 'no level driven in full' : 'no level passed';
}

/**
 * The ramp's answer in one line, what every ramp report says first: the number and the verdict —
 * "breaking point at concurrency 9 (gateway and backend) — verdict: backend-capacity",
 * "breaking point: gateway at concurrency 4, backend at concurrency 16 — verdict: gateway-limited",
 * "no breaking point: gateway and backend held up to concurrency 64 — verdict: no-breaking-point".
 * Built from the targets' results, so it is the same in every format. Pure.
 */
export function describeRampAnswer(report: RampReport): string {
  return `${describeRampLevels(report)} — verdict: ${report.verdict.code}`;
}

/** The answer without its verdict ("breaking point at concurrency 9 (gateway and backend)"): what the HTML verdict card says beside its label. */
export function describeRampLevels(report: RampReport): string {
  const targets = listTargets(report).filter(({ result }) => result.steps.length > 0);
  if (targets.length === 0) return `no step completed`;
  const names = (keys: RampTarget[]) => (keys.length === 2 ? BOTH : keys[0]);
  const breaking = targets.filter(({ result }) => result.breakingPoint !== null);
  const levels = new Set(breaking.map(({ result }) => levelOf(result.breakingPoint!)));
  if (breaking.length === targets.length && levels.size === 1) {
    return `breaking point at ${nameLevel(breaking[0].result.breakingPoint!)} (${names(breaking.map(({ key }) => key))})`;
  }
  if (breaking.length === 0) {
    const holds = new Set(targets.map(({ result }) => describeHold(result)));
    if (holds.size === 1) return `no breaking point: ${names(targets.map(({ key }) => key))} ${[...holds][0]}`;
  }
  const each = targets.map(({ key, result }) => `${key} ${result.breakingPoint ? `at ${nameLevel(result.breakingPoint)}` : `none (${describeHold(result)})`}`);
  return `${breaking.length > 0 ? 'breaking point' : 'no breaking point'}: ${each.join(', ')}`;
}
