import { z } from 'zod';
import { ENGINE_NAMES } from '../../engines/engine.js';
import { LOAD_MODELS, MAX_CONCURRENCY, MAX_RATE_PER_SEC, type LatencySummary, type LevelSummary, type LoadModel, type RampEngine, type RampOptions, type RampReport, type StepResult, type TargetResult } from '../../model.js';

/**
 * The zod schema of `ramp.json` (schemaVersion 2). It validates reports read back from disk and
 * fixes the canonical key order the JSON reporter writes (the order of the shapes below).
 * Objects are strict about types but tolerate unknown keys, so a report from a newer 2.x writer
 * that added a field still loads. Version 1 files (before load models and required engines) are
 * upgraded by read-ramp-report.ts, then checked against this schema.
 */
export const RAMP_SCHEMA_VERSION = 2;

const count = z.number().int().nonnegative();
const ratio = z.number().min(0).max(1);
const ordinal = z.number().int().positive().nullable();
const countsByKey = z.record(z.string(), count);
// A ramp never writes a level above its caps; a report that holds one was not written by a ramp.
const users = z.number().int().positive().max(MAX_CONCURRENCY, `must be at most ${MAX_CONCURRENCY}, the virtual-user cap of a ramp`);
const offeredRate = z.number().positive().max(MAX_RATE_PER_SEC, `must be at most ${MAX_RATE_PER_SEC} req/s, the rate cap of a ramp`);

export const latencySchema = z.looseObject({
  p50: z.number().nonnegative(),
  p90: z.number().nonnegative(),
  p95: z.number().nonnegative(),
  p99: z.number().nonnegative(),
  max: z.number().nonnegative(),
});

export const stepResultSchema = z.looseObject({
  concurrency: users,
  rate: offeredRate.optional(),
  droppedArrivals: count.optional(),
  phase: z.enum(['ramp', 'bisect', 'repeat']),
  requests: count,
  status: z.record(z.string().regex(/^\d{3}$/, 'must be a three-digit HTTP status'), count),
  transportErrors: countsByKey,
  failures: count,
  slow: count.optional(),
  rate502: ratio,
  failureRate: ratio,
  latencyMs: latencySchema,
  rps: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  first502AtRequest: ordinal,
  first502AtRunRequest: ordinal,
  peakInFlight: count,
  avgInFlight: z.number().nonnegative().optional(),
  redirects: z.number().int().nonnegative().optional(),
  underdriven: z.boolean(),
  clientCpuPercent: z.number().nonnegative(),
  failed: z.boolean(),
});

export const levelSchema = z.looseObject({
  concurrency: users,
  rate: offeredRate.optional(),
  rps: z.number().nonnegative(),
  rate502: ratio,
  failureRate: ratio,
});

export const targetResultSchema = z.looseObject({
  steps: z.array(stepResultSchema),
  breakingPoint: levelSchema.nullable(),
  lastPassing: levelSchema.nullable(),
  first502AtRequest: ordinal,
  underdriven: z.boolean(),
});

export const rampOptionsSchema = z.looseObject({
  target: z.enum(['gateway', 'backend', 'both']),
  mode: z.enum(LOAD_MODELS as [LoadModel, ...LoadModel[]]),
  engine: z.enum(ENGINE_NAMES as [RampEngine, ...RampEngine[]]).optional(),
  workers: z.number().int().positive().optional(),
  start: users,
  max: users,
  factor: z.number().positive(),
  requestsPerStep: z.number().int().positive(),
  threshold: ratio,
  failOn: z.array(z.number().int().min(100).max(599)),
  failOnSlow: z.boolean().optional(),
  maxP95Ms: z.number().positive().optional(),
  maxP99Ms: z.number().positive().optional(),
  bisect: z.boolean(),
  maxRequests: z.number().int().positive(),
  maxDurationMs: z.number().positive(),
  timeoutRequestMs: z.number().positive(),
  followRedirects: z.boolean().optional(),
  minCapacity: z.number().int().positive().optional(),
  startRate: offeredRate.optional(),
  maxRate: offeredRate.optional(),
  stepDurationMs: z.number().positive().optional(),
  maxVus: users.optional(),
});

export const rampReportSchema = z
  .looseObject({
    schemaVersion: z.literal(RAMP_SCHEMA_VERSION),
    meta: z.looseObject({
      tool: z.literal('debug502'),
      version: z.string(),
      collection: z.string(),
      collectionName: z.string().optional(),
      environment: z.string(),
      startedAt: z.iso.datetime({ offset: true }),
      durationMs: z.number().nonnegative(),
      options: rampOptionsSchema,
      aborted: z
        .looseObject({
          reason: z.enum(['interrupted', 'max-requests', 'max-duration', 'unreachable', 'tls-problem']),
          message: z.string(),
        })
        .optional(),
      maxResponseTimeMs: z.number().positive().optional(),
      source: z
        .looseObject({
          tool: z.enum(['locust', 'k6']),
          files: z.array(z.string()),
          note: z.string(),
        })
        .optional(),
    }),
    targets: z.looseObject({
      gateway: targetResultSchema.optional(),
      backend: targetResultSchema.optional(),
    }),
    verdict: z.looseObject({
      code: z.enum(['gateway-limited', 'backend-capacity', 'backend-down', 'breaking-point', 'no-breaking-point', 'inconclusive']),
      message: z.string(),
      next: z.string().optional(),
      caveats: z.array(z.string()).optional(),
    }),
  })
  .refine((report) => report.targets.gateway !== undefined || report.targets.backend !== undefined, {
    path: ['targets'],
    message: 'names no target: expected "gateway" and/or "backend"',
  });

// Compile-time guards: a parsed report is a RampReport, and every field of the model has a place in
// the schema (so the canonical key order covers it). If model.ts changes, this stops compiling.
type ParsedRampReport = z.infer<typeof rampReportSchema>;
const assertParsedIsRampReport = (parsed: ParsedRampReport): RampReport => parsed;
type Covers<Model, Shape> = [Exclude<keyof Model, keyof Shape>] extends [never] ? true : Exclude<keyof Model, keyof Shape>;
const schemaCoversModel: [
  Covers<RampReport, typeof rampReportSchema.shape>,
  Covers<RampReport['meta'], typeof rampReportSchema.shape.meta.shape>,
  Covers<RampOptions, typeof rampOptionsSchema.shape>,
  Covers<TargetResult, typeof targetResultSchema.shape>,
  Covers<StepResult, typeof stepResultSchema.shape>,
  Covers<LevelSummary, typeof levelSchema.shape>,
  Covers<LatencySummary, typeof latencySchema.shape>,
] = [true, true, true, true, true, true, true];
void assertParsedIsRampReport;
void schemaCoversModel;
