/**
 * The ramp room: plan (pure) → execute steps (newman or the fast engine, one run per virtual user and step) →
 * detect (pure) → RampReport. Reporting lives in src/report; progress drawing in progress.ts.
 */
export { MAX_CONCURRENCY, MAX_RATE_PER_SEC, MAX_WORKERS, RAMP_DEFAULTS, RAMP_ENGINES, RAMP_MODES, RAMP_TARGETS, RATE_DEFAULTS, resolveRampOptions, workersOf, type RawRampOptions } from './options.js';
export { budgetLevel, budgetRateStep, budgetStep, formatDurationOption, formatPlan, passesOfUser, planLevels, planRamp, targetsOf, type LevelBudget, type RampPlan, type RateStepBudget, type StepBudget } from './plan.js';
export { EXECUTORS, executorFor, type StepExecutor } from './executors.js';
export { createStepPool, type StepPool, type StepPoolOptions } from './workers/pool.js';
export { executeRateStep, type RateStepDeps } from './execute-rate-step.js';
export { levelOf, nameLevel, nameLevelIn, topLevelOf } from '../facts/level.js';
export { countFolderRequests, findTargetFolder } from './folder.js';
export { createStepRecorder, type StepRecorder, type StepRecorderClock, type StepCounts } from './step-recorder.js';
export { executeStep, systemStepClock, type ExecuteStep, type StepDeps, type StepInput, type StepOutcome } from './execute-step.js';
export { MAX_REPEATS, chooseNextStep, decideLevels, isStepFailed, isUnanswered, isUnderdriven, summarizeTarget, type LevelDecision, type NextStep } from './detect.js';
export { BACKEND_DOWN_MIN_FAILURE_RATE, GATEWAY_LIMITED_BELOW, decideBothVerdict, decideRampVerdict, decideTargetVerdict } from './verdict.js';
export { CLIENT_SATURATED_CPU_PERCENT, LOW_AVERAGE_SHARE, describeAverageLoad, describeClientLimit, describeSaturation } from './client-load.js';
export { planRampInput, runRamp, systemRampClock, type RampClock, type RampDeps, type RampEvent, type RampInput } from './run-ramp.js';
export { createProgressListener, formatStepLine, type ProgressOutput } from './progress.js';
export { loadRampInput, type RampFiles } from './load-input.js';
export { checkMinCapacity, formatRampSummary, rampExitCode, type GateResult } from './outcome.js';
