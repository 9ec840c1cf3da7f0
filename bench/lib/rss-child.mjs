/**
 * A ramp in a fresh process, for its peak RSS alone (process.resourceUsage().maxRSS): argv[2] is a
 * JSON spec { url, engine, workers, requests }. It ramps the backend folder of the bench collection
 * at concurrency 1 → 64 with the request budget spread over the 7 levels, no bisection, and prints
 * one JSON line { requests, maxRssMb, durationMs }.
 */
import { planRampInput, resolveRampOptions, runRamp } from '../../dist/ramp/index.js';
import { BENCH_COLLECTION } from './load.mjs';

const spec = JSON.parse(process.argv[2]);
const levels = 7;
const options = resolveRampOptions({
  target: 'backend', engine: spec.engine, workers: spec.workers, start: 1, max: 64, bisect: false,
  requestsPerStep: Math.ceil(spec.requests / levels), maxRequests: spec.requests + 64 * levels, maxDuration: '10m',
});
const input = { collection: BENCH_COLLECTION, envVars: { backend_url: spec.url }, options };
const t0 = performance.now();
const report = await runRamp({ ...input, plan: planRampInput(input) });
const requests = report.targets.backend.steps.reduce((n, s) => n + s.requests, 0);
console.log(JSON.stringify({ requests, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), durationMs: Math.round(performance.now() - t0) }));
process.exit(0);
