/**
 * Pure aggregation of one run's RequestOutcome records into per-endpoint results: each collection
 * item's requests (one per iteration) fold into the worst observation of its route, and each
 * gateway item is paired with its backend twin — by item name, else by method and path (the
 * request key is the same on both routes) — to get one verdict per endpoint.
 */
import type { EndpointResult, RequestOutcome, Route, RouteObservation, RunReport, TestOutcome } from '../model.js';
import { decideVerdict, type VerdictContext } from './verdict.js';

interface ItemGroup {
  route: Route;
  name: string;
  request?: string;
  /** The worst of the item's requests so far (see severityOf). */
  worst: RequestOutcome;
  requests: number;
  /** Each test once, failed when it failed in any iteration. */
  tests: TestOutcome[];
}

/** How bad one request went: transport errors, then 502, 504, 503, other 5xx, failed tests. */
export function severityOf(outcome: RequestOutcome): number {
  if (outcome.error !== undefined) return 6;
  const status = outcome.status ?? 0;
  if (status === 502) return 5;
  if (status === 504) return 4;
  if (status === 503) return 3;
  if (status >= 500) return 2;
  return outcome.tests.some((t) => !t.passed) ? 1 : 0;
}

function isWorse(a: RequestOutcome, b: RequestOutcome): boolean {
  const diff = severityOf(a) - severityOf(b);
  return diff > 0 || (diff === 0 && a.latencyMs > b.latencyMs);
}

/** The route observation of an item: its worst answer, every test, the failed ones by name. */
function observationOf(group: ItemGroup): RouteObservation {
  const { worst } = group;
  // Key order is the order run.json shows: what came back first, then time and tests.
  const answer = worst.error !== undefined ? { error: worst.error, errorMessage: worst.errorMessage } : { status: worst.status };
  return pickDefined({
    ...answer,
    latencyMs: worst.latencyMs,
    failedTests: group.tests.filter((t) => !t.passed).map((t) => t.name),
    requests: group.requests,
    tests: group.tests,
  });
}

function pickDefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function mergeTest(tests: TestOutcome[], test: TestOutcome): void {
  const known = tests.find((t) => t.name === test.name);
  if (!known) return void tests.push({ ...test });
  if (known.passed && !test.passed) Object.assign(known, { passed: false, message: test.message });
}

/** Groups outcomes by route and item (its id, else its name), in first-seen order. */
function groupByItem(outcomes: Iterable<RequestOutcome>): { groups: ItemGroup[]; unrouted: number } {
  const groups = new Map<string, ItemGroup>();
  let unrouted = 0;
  for (const outcome of outcomes) {
    if (outcome.route === null) {
      unrouted += 1;
      continue;
    }
    const key = `${outcome.route}\u0000${outcome.itemId ?? outcome.item}`;
    let group = groups.get(key);
    if (!group) {
      group = { route: outcome.route, name: outcome.item, request: outcome.request, worst: outcome, requests: 0, tests: [] };
      groups.set(key, group);
    }
    group.requests += 1;
    if (isWorse(outcome, group.worst)) group.worst = outcome;
    for (const test of outcome.tests) mergeTest(group.tests, test);
  }
  return { groups: [...groups.values()], unrouted };
}

/**
 * Pairs gateway and backend items into endpoints, in the order they first appear. A backend item
 * pairs with the gateway item of the same name, else with the one of the same request key when
 * exactly one unpaired gateway item has it. Unpaired items are endpoints with one side only.
 */
function pairEndpoints(groups: ItemGroup[]): { name: string; gateway?: RouteObservation; backend?: RouteObservation }[] {
  const endpoints: { name: string; gateway?: ItemGroup; backend?: ItemGroup }[] = [];
  for (const group of groups.filter((g) => g.route === 'gateway')) endpoints.push({ name: group.name, gateway: group });
  const unpaired = () => endpoints.filter((e) => e.gateway && !e.backend);
  for (const group of groups.filter((g) => g.route === 'backend')) {
    const byName = unpaired().find((e) => e.gateway!.name === group.name);
    const byRequest = group.request === undefined ? [] : unpaired().filter((e) => e.gateway!.request === group.request);
    const twin = byName ?? (byRequest.length === 1 ? byRequest[0] : undefined);
    if (twin) twin.backend = group;
    else endpoints.push({ name: group.name, backend: group });
  }
  // Keep the collection's order: an endpoint sits where its first request ran.
  const position = new Map(groups.map((g, i) => [g, i]));
  const first = (e: (typeof endpoints)[number]) => Math.min(...[e.gateway, e.backend].filter((g): g is ItemGroup => g !== undefined).map((g) => position.get(g)!));
  return endpoints
    .sort((a, b) => first(a) - first(b))
    .map((e) => ({ name: e.name, gateway: e.gateway && observationOf(e.gateway), backend: e.backend && observationOf(e.backend) }));
}

/**
 * Builds the endpoints and totals of a run report from every request of the run. Pure.
 * `maxLatencyMs` is the latency limit; `context` carries the URLs into the next steps.
 */
export function aggregateRun(
  outcomes: readonly RequestOutcome[],
  maxLatencyMs: number,
  context: VerdictContext = {},
): Pick<RunReport, 'endpoints' | 'totals'> {
  const { groups, unrouted } = groupByItem(outcomes);
  const endpoints: EndpointResult[] = pairEndpoints(groups).map((e) =>
    pickDefined({ name: e.name, gateway: e.gateway, backend: e.backend, verdict: decideVerdict(e.gateway, e.backend, maxLatencyMs, context) }),
  );
  const tests = outcomes.flatMap((o) => o.tests);
  const totals: RunReport['totals'] = {
    requests: outcomes.length,
    tests: tests.length,
    failedTests: tests.filter((t) => !t.passed).length,
    endpoints: endpoints.length,
    notOk: endpoints.filter((e) => e.verdict.code !== 'ok').length,
  };
  if (unrouted > 0) totals.unrouted = unrouted;
  return { endpoints, totals };
}
