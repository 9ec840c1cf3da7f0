import type { Route, WatchReport, WatchTargetResult, WatchWindow } from '../model.js';
import { environmentOptions, shellWord } from '../report/kit/next-steps.js';

/** What the watch ran with, for the next step's command: the report's `meta.environment` and `meta.collection`. */
export interface WatchVerdictContext {
  environment?: string;
  collection?: string;
}

const SIDE: Record<Route, string> = { gateway: 'through the gateway', backend: 'direct to the backend' };

/**
 * Names the pattern of the failures over time, for the target that failed most (the gateway on a
 * tie): `none` — no failure anywhere; `burst` — failures packed into a stretch of at most a third of
 * the windows (a deploy, a restart, a crash: run it during a deploy and this is what you see);
 * `steady-background` — failures spread over the watch (in at least a third of the windows, or over
 * more than a third of its span); `no-requests` — nothing was sent, so nothing to judge (not a
 * pass). Says whether only the gateway failed while the backend held, and gives diagnose's next
 * step for each. Pure.
 */
export function judgeWatch(targets: WatchReport['targets'], timeline: readonly WatchWindow[], context: WatchVerdictContext = {}): WatchReport['verdict'] {
  // diagnose with the watch's own environment and collection: a command to paste, not <env>.
  const inputs = `${environmentOptions(context.environment ?? '')}${context.collection ? ` --collection ${shellWord(context.collection)}` : ''}`;
  const routes = (Object.keys(targets) as Route[]).filter((r) => (targets[r]?.failures ?? 0) > 0);
  const sent = Object.values(targets).reduce((n, t) => n + (t?.requests ?? 0), 0);
  if (sent === 0) {
    // "No failures" of no request is no finding: the watch has nothing to judge, and says so.
    return {
      code: 'no-requests',
      message: `No request was sent over ${timeline.length} window(s): no arrival fell within the duration at this rate (--rate × --duration below one arrival), or the watch was stopped before the first.`,
      next: 'Watch longer or at a higher rate, e.g. --rate 1/s --duration 10m: at least a few arrivals per window.',
    };
  }
  if (routes.length === 0) {
    return { code: 'none', message: `No failures in ${sent} request(s) over ${timeline.length} window(s): no 502 pattern to name.`, next: 'If users still see 502s, watch longer or at their traffic\'s rate, or read the gateway\'s logs: debug502 diagnose --log <gateway log>.' };
  }
  const route = routes.sort((a, b) => targets[b]!.failures - targets[a]!.failures || (a === 'gateway' ? -1 : 1))[0];
  const t = targets[route]!;
  const gatewayOnly = route === 'gateway' && targets.backend !== undefined && targets.backend.failures === 0;
  const failingIdx = timeline.map((w, i) => ((w.targets[route]?.failures ?? 0) > 0 ? i : -1)).filter((i) => i >= 0);
  const spanWindows = failingIdx[failingIdx.length - 1] - failingIdx[0] + 1;
  const third = Math.max(1, timeline.length / 3);
  const steady = timeline.length >= 3 && (failingIdx.length >= third || spanWindows > third) && failingIdx.length > 1;
  const share = `${t.failures} of ${t.requests} (${(t.failureRate * 100).toFixed(1)}%)`;
  const where = `${share} ${SIDE[route]}${gatewayOnly ? ', none direct' : ''}`;
  const secs = (ms: number | null) => `${Math.round((ms ?? 0) / 1000)} s`;
  if (steady) {
    return {
      code: 'steady-background', target: route, gatewayOnly,
      message: `A steady background of failures: ${where}, in ${failingIdx.length} of ${timeline.length} windows from ${secs(t.firstFailureMs)} to ${secs(t.lastFailureMs)}${describeMix(t)}.`,
      next: gatewayOnly
        ? `Gateway-only failures at a low steady rate while the backend answers directly are the keep-alive race's signature: run debug502 diagnose ${inputs} --gateway-idle-timeout <the gateway's idle timeout> (its keep-alive probe measures how long the backend keeps idle connections) and pass the gateway's log with --log.`
        : `Failures at a steady rate on both sides come from the backend: run debug502 diagnose ${inputs} --log <gateway log> to name the cause.`,
    };
  }
  return {
    code: 'burst', target: route, gatewayOnly,
    message: `A burst of failures: ${where}, in ${failingIdx.length} window(s) between ${secs(timeline[failingIdx[0]].startMs)} and ${secs(timeline[failingIdx[failingIdx.length - 1]].endMs)}${describeMix(t)}.`,
    next: `A burst is a window of trouble — a deploy, a restart, a crash or an overload: compare its time with your deploys and restarts, then run debug502 diagnose ${inputs} --log <gateway log> --since <the burst's start> to name the cause.`,
  };
}

/** ", 3 × 502, 1 × ECONNRESET" — what the failures were. */
function describeMix(t: WatchTargetResult): string {
  const parts = [
    ...Object.entries(t.statuses).filter(([s]) => Number(s) >= 500).map(([s, n]) => `${n} × ${s}`),
    ...Object.entries(t.transportErrors).map(([e, n]) => `${n} × ${e}`),
  ];
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
