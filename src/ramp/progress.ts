/**
 * The ramp's progress, drawn for people: on a terminal a live bar per step (done/planned, 502s so
 * far) redrawn in place with \r; elsewhere (CI logs, pipes) one line per finished step. Separate
 * from reporting: the report never depends on what was drawn.
 */
import type { LoadModel, RampTarget, StepResult } from '../model.js';
import { levelOf } from '../facts/level.js';
import { formatShare } from './client-load.js';
import type { RampEvent } from './run-ramp.js';

export interface ProgressOutput {
  write(text: string): void;
  /** Live bars when true; one line per step otherwise. */
  isTTY: boolean;
  /** Milliseconds, to redraw at most every `redrawMs`; default performance.now. */
  now?(): number;
}

const BAR_WIDTH = 24;
/** A terminal redraws at most this often; more would cost the load generator CPU for nothing. */
const REDRAW_MS = 100;

/** One finished step as a line: target, level, phase, counts, latency, peak (and average) in flight, CPU, outcome. */
export function formatStepLine(target: RampTarget, step: StepResult): string {
  const outcome = step.failed ? `FAILED (${formatShare(step.failureRate)} failed)` : step.underdriven ? 'passed, underdriven' : 'passed';
  return [
    `${target.padEnd(7)} ${levelLabel(step.rate === undefined ? 'concurrency' : 'rate', levelOf(step))} ${step.phase.padEnd(6)}`,
    `${String(step.requests).padStart(5)} req`,
    `502s ${step.status['502'] ?? 0}`,
    `errors ${Object.values(step.transportErrors).reduce((a, b) => a + b, 0)}`,
    `p95 ${step.latencyMs.p95} ms`,
    `${step.rps} rps`,
    `in flight ${step.peakInFlight}/${step.concurrency}${step.avgInFlight === undefined ? '' : ` (avg ${step.avgInFlight})`}`,
    ...(step.droppedArrivals ? [`dropped ${step.droppedArrivals}`] : []),
    `cpu ${Math.round(step.clientCpuPercent)}%`,
    outcome,
  ].join('  ');
}

/** "c=16  " or "r=400/s": a level as the progress lines show it. */
function levelLabel(mode: LoadModel, level: number): string {
  return mode === 'rate' ? `r=${`${level}/s`.padEnd(7)}` : `c=${String(level).padEnd(4)}`;
}

function drawBar(target: RampTarget, label: string, done: number, planned: number, count502: number, failures: number): string {
  const filled = planned > 0 ? Math.min(BAR_WIDTH, Math.round((done / planned) * BAR_WIDTH)) : 0;
  return `\r${target.padEnd(7)} ${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${planned}  502s ${count502}  failures ${failures}\x1b[K`;
}

/** A listener for runRamp's `onProgress` that draws to `output`. */
export function createProgressListener(output: ProgressOutput): (event: RampEvent) => void {
  const now = output.now ?? (() => performance.now());
  let lastDrawMs = -Infinity;
  let mode: LoadModel = 'concurrency';
  return (event) => {
    switch (event.type) {
      case 'plan':
        mode = event.plan.mode;
        return;
      case 'step-start':
        if (output.isTTY) {
          lastDrawMs = now();
          output.write(drawBar(event.target, levelLabel(mode, event.level), 0, event.planned, 0, 0));
        }
        return;
      case 'step-progress': {
        if (!output.isTTY) return;
        const t = now();
        if (t - lastDrawMs < REDRAW_MS && event.done < event.planned) return;
        lastDrawMs = t;
        output.write(drawBar(event.target, levelLabel(mode, event.level), event.done, event.planned, event.count502, event.failures));
        return;
      }
      case 'step-end': {
        const line = formatStepLine(event.target, event.step) + (event.complete ? '' : `  (stopped after ${event.answered} answered; left out of the report)`);
        output.write((output.isTTY ? '\r' : '') + line + (output.isTTY ? '\x1b[K' : '') + '\n');
        return;
      }
      default:
        return;
    }
  };
}
