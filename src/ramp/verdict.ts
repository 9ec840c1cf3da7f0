/**
 * The verdict of a ramp, in words a person acts on: one target's breaking point, or, for `both`,
 * which side breaks first. Pure: target results in, a Verdict out.
 */
import type { LoadModel, RampOptions, RampTarget, RampVerdictCode, StepResult, TargetResult, Verdict } from '../model.js';
import { describeAverageLoad, describeClientLimit, describeSaturation, formatShare } from './client-load.js';
import { bisectResolution, isUnanswered } from './detect.js';
import { levelOf, nameLevel, topLevelOf, type HasLevel } from '../facts/level.js';

export type RampVerdict = Verdict<RampVerdictCode>;

/**
 * The gateway counts as breaking clearly before the backend when its breaking point is below this
 * share of the backend's; closer than that, both break "at about the same level".
 */
export const GATEWAY_LIMITED_BELOW = 0.75;

const NAME: Record<RampTarget, string> = { gateway: 'The gateway', backend: 'The backend, hit directly,' };

const NEXT = {
  gatewayLimited: 'Raise the gateway\'s limits towards the backend (nginx max_conns, worker_connections, keepalive, proxy timeouts) and ramp again; "debug502 diagnose --nginx-log …" shows what nginx logged.',
  backendCapacity: 'Give the backend more capacity (workers, threads, connection pool, instances) or limit what the gateway sends it; "debug502 diagnose" tells overload from a crash.',
  single: 'Ramp with --target both to see whether the gateway or the backend breaks first.',
  none: 'Raise --max (up to 1024) to push harder; 502s that do not depend on load are a matter for "debug502 diagnose".',
  underdriven: 'Run the load generator on a machine with more CPU to spare, or lower --max: a level the client cannot drive decides nothing.',
  notLoad: 'This is not a load problem: run "debug502 diagnose" to find out why even single requests fail.',
  gatewayMisconfigured: 'Check the gateway\'s upstream against backend_url: the address and port in proxy_pass / the upstream block, and that its name resolves from the gateway; "debug502 run" and "debug502 diagnose --nginx-log …" show which.',
  backendDown: 'This is not a load problem: start the backend, or fix the address it listens on (the guide\'s "Check backend server health"); "debug502 diagnose" confirms it from its probes and the gateway\'s error log.',
};

/**
 * A target whose lowest level fails at least this share of its requests fails (nearly) all of them:
 * with the backend answering none directly, the backend is down — no level of load was ever fine.
 */
export const BACKEND_DOWN_MIN_FAILURE_RATE = 0.9;

/** "HTTP 502 ×10, ECONNRESET ×2" — what failed in a step. */
export function describeFailures(step: StepResult, failOn: readonly number[]): string {
  const parts = [
    ...failOn.filter((s) => (step.status[String(s)] ?? 0) > 0).map((s) => `HTTP ${s} ×${step.status[String(s)]}`),
    ...Object.entries(step.transportErrors).filter(([, n]) => n > 0).map(([code, n]) => `${code} ×${n}`),
    ...(step.slow ? [`slow ×${step.slow}`] : []),
  ];
  return parts.join(', ') || 'no failures';
}

/**
 * The verdict with its caveats — what the client could not vouch for (it was saturated, underdriven,
 * or took far less load on average than the level says) — kept apart from the message, so that the
 * reports say the answer first and the caveats after it, short. None: no `caveats` field.
 */
function withCaveats(verdict: RampVerdict, caveats: readonly string[]): RampVerdict {
  const kept = caveats.filter(Boolean);
  return kept.length > 0 ? { ...verdict, caveats: kept } : verdict;
}

/** True when the backend hit directly answered not one request in the whole ramp. */
function answeredNone(result: TargetResult): boolean {
  return result.steps.length > 0 && result.steps.every(isUnanswered);
}

/** The target failed at every level tried, and (nearly) every request at its breaking point. */
function failsFromTheStart(result: TargetResult): boolean {
  return result.breakingPoint !== null && result.lastPassing === null && result.breakingPoint.failureRate >= BACKEND_DOWN_MIN_FAILURE_RATE;
}

/** "60 requests at concurrency 1 (ECONNREFUSED ×60)", over every step of a backend that answered none. */
function describeUnanswered(result: TargetResult): string {
  const requests = result.steps.reduce((n, s) => n + s.requests, 0);
  const errors: Record<string, number> = {};
  for (const step of result.steps) for (const [code, n] of Object.entries(step.transportErrors)) errors[code] = (errors[code] ?? 0) + n;
  const levels = [...new Set(result.steps.map(levelOf))].sort((a, b) => a - b);
  const rate = result.steps[0]?.rate !== undefined;
  const where = levels.length === 1 ? nameLevel(result.steps[0]) : rate ? `rates ${levels.slice(0, -1).join(', ')} and ${levels.at(-1)} req/s` : `concurrencies ${levels.slice(0, -1).join(', ')} and ${levels.at(-1)}`;
  const what = Object.entries(errors).filter(([, n]) => n > 0).map(([code, n]) => `${code} ×${n}`).join(', ');
  return `${requests} request${requests === 1 ? '' : 's'} at ${where} (${what})`;
}

/** The failing step at a target's breaking point: the step that decided it. */
function breakingStep(result: TargetResult): StepResult {
  const bp = result.breakingPoint!;
  return result.steps.find((s) => levelOf(s) === levelOf(bp) && s.failed)!;
}

/** What the verdicts read of the options: what fails a request, and what else fails a step. */
export type VerdictOptions = Pick<RampOptions, 'failOn' | 'max' | 'maxP95Ms' | 'maxP99Ms' | 'maxRate' | 'engine'> & Partial<Pick<RampOptions, 'bisect'>> & { mode?: LoadModel };

/**
 * "12.5% of its requests failed (HTTP 502 ×25)": what failed at a target's breaking point; a step
 * failed by `--max-p95`/`--max-p99` says its percentile ("its p95 was 912 ms, over --max-p95 800").
 */
function describeBreakingFailures(result: TargetResult, options: VerdictOptions): string {
  const step = breakingStep(result);
  const gates = [['p95', options.maxP95Ms, step.latencyMs.p95], ['p99', options.maxP99Ms, step.latencyMs.p99]] as const;
  const slow = gates.filter(([, limit, value]) => limit !== undefined && value > limit).map(([name, limit, value]) => `its ${name} was ${value} ms, over --max-${name} ${limit}`);
  const failed = step.failures > 0 ? [`${formatShare(result.breakingPoint!.failureRate)} of its requests failed (${describeFailures(step, options.failOn)})`] : [];
  return [...failed, ...slow].join(', and ') || `${formatShare(result.breakingPoint!.failureRate)} of its requests failed`;
}

/**
 * Whether the passing and failing levels are as close as bisection takes them: next to each other
 * for users, within bisectResolution for rates (2.5 %: "at 400 req/s (it held at 390)" is exact).
 */
function isPinpointed(held: HasLevel, bp: HasLevel): boolean {
  return levelOf(bp) - levelOf(held) <= bisectResolution(bp.rate === undefined ? 'concurrency' : 'rate', levelOf(bp));
}

/** Where a target breaks, in words: "at concurrency 4 (held at 3)" or "between 5 and 8 …". */
function describeBreak(result: TargetResult): string {
  const bp = result.breakingPoint!;
  const held = result.lastPassing;
  if (!held) return `at ${nameLevel(bp)}, the lowest level tried`;
  if (isPinpointed(held, bp)) return `at ${nameLevel(bp)} (it held at ${levelOf(held)})`;
  return `somewhere above ${nameLevel(held)}, at ${levelOf(bp)} at the latest`;
}

/** Why a breaking point is a range and not a level: bisection was off, or the ramp stopped before it was done. */
function describeUnbisected(result: TargetResult, options: VerdictOptions): string {
  const held = result.lastPassing;
  if (!held || isPinpointed(held, result.breakingPoint!)) return '';
  return options.bisect === false
    ? ' Bisection was off (--no-bisect): ramp without it for the exact level.'
    : ' The ramp stopped before bisection narrowed it: ramp again with more room (--max-requests, --max-duration) for the exact level.';
}

/** The verdict when only one target has results (`--target gateway|backend`, or a stopped `both`). */
export function decideTargetVerdict(target: RampTarget, result: TargetResult, options: VerdictOptions): RampVerdict {
  const clientLimit = describeClientLimit(result);
  const saturation = describeSaturation(target, result, options.engine);
  const first = result.first502AtRequest === null ? '' : ` The first failure came at request ${result.first502AtRequest} of the ramp.`;
  const bp = result.breakingPoint;
  if (target === 'backend' && answeredNone(result) && failsFromTheStart(result)) {
    return withCaveats({
      code: 'backend-down',
      message: `${NAME.backend} answered none of ${describeUnanswered(result)}: it is down or unreachable from here, not overloaded.`,
      next: NEXT.backendDown,
    }, [saturation]);
  }
  if (bp) {
    // One virtual user is no load at all: failures there have another cause.
    const notLoad = bp.rate === undefined && bp.concurrency === 1;
    const what = describeBreakingFailures(result, options);
    const dead = isUnanswered(breakingStep(result)) ? ` No request got any answer: the ${target} is down or unreachable from here, not overloaded.` : '';
    const exact = clientLimit ? '' : describeUnbisected(result, options);
    return withCaveats({
      code: 'breaking-point',
      message: `${NAME[target]} breaks ${describeBreak(result)}: ${what}.${first}${dead}${exact}`,
      next: notLoad ? NEXT.notLoad : clientLimit ? NEXT.underdriven : target === 'gateway' ? NEXT.single : NEXT.backendCapacity,
    }, [clientLimit, saturation]);
  }
  if (result.underdriven) {
    const held = result.lastPassing ? `it held up to ${nameLevel(result.lastPassing)}, ` : '';
    return { code: 'inconclusive', message: `${NAME[target]} showed no failure, but ${held}not up to ${topLevelOf(options)}. ${clientLimit}`, next: NEXT.underdriven };
  }
  const top = result.lastPassing ? nameLevel(result.lastPassing) : 'concurrency 0';
  return withCaveats({
    code: 'no-breaking-point',
    message: `${NAME[target]} held up to ${top}: no step had more failures than the threshold.`,
    next: saturation ? NEXT.underdriven : NEXT.none,
  }, [saturation, describeAverageLoad(target, result, options.engine)]);
}

/**
 * The verdict of `--target both`: the backend hit directly answers nothing while the gateway fails
 * (nearly) every request from the lowest level on → backend-down; the gateway does that while the
 * backend holds → gateway-limited, worded as a misconfiguration; the gateway breaks clearly first →
 * gateway-limited; both break at about the same level (or the backend first) → backend-capacity; neither → no-breaking-point;
 * an underdriven side that leaves the comparison open → inconclusive.
 */
export function decideBothVerdict(gateway: TargetResult, backend: TargetResult, options: VerdictOptions): RampVerdict {
  const g = gateway.breakingPoint;
  const b = backend.breakingPoint;
  const clientLimit = [describeClientLimit(gateway), describeClientLimit(backend)].filter(Boolean)[0] ?? '';
  const saturation = [describeSaturation('gateway', gateway, options.engine), describeSaturation('backend', backend, options.engine)].filter(Boolean)[0] ?? '';
  const caveats = [clientLimit, saturation];
  // Where the client's limit is the very reason the answer stays open, it is the message, not a caveat.
  const tail = caveats.filter(Boolean).map((t) => ' ' + t).join('');
  if (answeredNone(backend) && failsFromTheStart(gateway)) {
    return withCaveats({
      code: 'backend-down',
      message: `${NAME.backend} answered none of ${describeUnanswered(backend)}: it is down or unreachable, not overloaded. The gateway breaks ${describeBreak(gateway)}, because of it: ${describeBreakingFailures(gateway, options)}.`,
      next: NEXT.backendDown,
    }, caveats);
  }
  const backendHeld = backend.lastPassing ? levelOf(backend.lastPassing) : 0;
  if (g && failsFromTheStart(gateway) && backendHeld >= levelOf(g)) {
    return withCaveats({
      code: 'gateway-limited',
      message: `The gateway breaks ${describeBreak(gateway)}: ${describeBreakingFailures(gateway, options)}, while the backend, hit directly, held up to ${backendHeld} with no failure. Not a load problem: the gateway does not reach the backend (wrong upstream address or port, a name it cannot resolve).`,
      next: NEXT.gatewayMisconfigured,
    }, caveats);
  }
  const backendDown = backend.steps[0] !== undefined && isUnanswered(backend.steps[0]);
  if (g && b && backendDown) {
    return withCaveats({
      code: 'backend-capacity',
      message: `The backend answered none of ${backend.steps[0].requests} requests at ${nameLevel(backend.steps[0])} (${describeFailures(backend.steps[0], options.failOn)}): it is down or unreachable, and the gateway breaks ${describeBreak(gateway)}, because of it.`,
      next: NEXT.notLoad,
    }, caveats);
  }
  if (g && b) {
    if (levelOf(g) < levelOf(b) * GATEWAY_LIMITED_BELOW) {
      return withCaveats({
        code: 'gateway-limited',
        message: `The gateway breaks ${describeBreak(gateway)}, while the backend, hit directly, holds until ${levelOf(b)}: the gateway's own limits (connections, max_conns, workers, timeouts) come first.`,
        next: NEXT.gatewayLimited,
      }, caveats);
    }
    return withCaveats({
      code: 'backend-capacity',
      message: `Gateway and backend break at about the same load (gateway at ${levelOf(g)}, backend hit directly at ${levelOf(b)}): the backend's capacity is the limit, and the gateway passes its failures on as 502.`,
      next: NEXT.backendCapacity,
    }, caveats);
  }
  if (g) {
    if (backendHeld >= levelOf(g)) {
      return withCaveats({
        code: 'gateway-limited',
        message: `The gateway breaks ${describeBreak(gateway)}, while the backend, hit directly, held up to ${backendHeld} with no failure: the gateway's own limits (connections, max_conns, workers, timeouts) come first.`,
        next: NEXT.gatewayLimited,
      }, caveats);
    }
    return {
      code: 'inconclusive',
      message: `The gateway breaks ${describeBreak(gateway)}, but the backend was only shown to hold up to ${backendHeld}, so which side breaks first stays open.${tail}`,
      next: NEXT.underdriven,
    };
  }
  if (b && !gateway.underdriven) {
    return withCaveats({
      code: 'no-breaking-point',
      message: `No failures through the gateway up to ${gateway.lastPassing ? nameLevel(gateway.lastPassing) : 'concurrency 0'}; the backend alone, hit directly, breaks ${describeBreak(backend)}: the gateway shields it (it queues or limits connections).`,
      next: NEXT.none,
    }, [...caveats, describeAverageLoad('gateway', gateway, options.engine)]);
  }
  if (gateway.underdriven || backend.underdriven) {
    return { code: 'inconclusive', message: `Neither side failed, but not every level could be driven.${tail}`, next: NEXT.underdriven };
  }
  return withCaveats({
    code: 'no-breaking-point',
    message: `Neither side broke: the gateway held up to ${gateway.lastPassing ? nameLevel(gateway.lastPassing) : 'concurrency 0'} and the backend, hit directly, up to ${backend.lastPassing ? levelOf(backend.lastPassing) : 0}.`,
    next: saturation ? NEXT.underdriven : NEXT.none,
  }, [...caveats, describeAverageLoad('gateway', gateway, options.engine)]);
}

/** The verdict of a ramp from whatever targets have steps. */
export function decideRampVerdict(targets: Partial<Record<RampTarget, TargetResult>>, options: VerdictOptions): RampVerdict {
  const gateway = targets.gateway?.steps.length ? targets.gateway : undefined;
  const backend = targets.backend?.steps.length ? targets.backend : undefined;
  if (gateway && backend) return decideBothVerdict(gateway, backend, options);
  if (gateway) return decideTargetVerdict('gateway', gateway, options);
  if (backend) return decideTargetVerdict('backend', backend, options);
  return { code: 'inconclusive', message: 'No step completed, so there is nothing to judge.', next: 'Run the ramp again and let at least one step finish.' };
}
