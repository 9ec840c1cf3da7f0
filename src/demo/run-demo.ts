/**
 * The demo: the whole story of debug502 on the built-in lab, in one call. Starts the lab (a backend
 * that holds CAPACITY requests in flight, behind nginx or the built-in gateway), generates the
 * collection and environment, runs one pass through both routes, ramps gateway and backend, writes
 * every report, and stops the lab — whatever happens in between.
 */
import { join, resolve } from 'node:path';
import { displayPath } from '../fs/display-path.js';
import { generate } from '../generate/index.js';
import { startLab, type GatewayChoice } from '../lab/index.js';
import type { RampReport, RunReport } from '../model.js';
import { createProgressListener, formatRampSummary, loadRampInput, resolveRampOptions, runRamp } from '../ramp/index.js';
import { runCollection } from '../run/run-collection.js';
import { writeRampReport } from '../report/ramp/index.js';
import { renderRunTable, writeRunReports } from '../report/run/index.js';
import { buildDemoConfig } from './demo-config.js';

export interface DemoOptions {
  /** Where collections/, environments/ and reports/ go; default "demo-output". */
  outDir: string;
  gateway: GatewayChoice;
  /** Requests the lab backend holds in flight; the ramp should break at capacity + 1. */
  capacity: number;
  latencyMs: number;
  /** Request budget of each ramp step. */
  requestsPerStep: number;
  /** Highest concurrency the ramp tries. */
  maxConcurrency: number;
}

export const DEMO_DEFAULTS: DemoOptions = {
  outDir: 'demo-output',
  gateway: 'auto',
  capacity: 8,
  latencyMs: 50,
  requestsPerStep: 60,
  maxConcurrency: 16,
};

export interface DemoIo {
  write(text: string): void;
  isTTY: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
}

export interface DemoResult {
  gatewayKind: 'nginx' | 'builtin';
  run: RunReport;
  ramp: RampReport;
  files: string[];
}

/** Runs the demo; the lab is stopped before this returns or throws. */
export async function runDemo(options: DemoOptions, io: DemoIo): Promise<DemoResult> {
  const outDir = resolve(io.cwd, options.outDir);
  const show = (path: string) => displayPath(io.cwd, path);
  const lab = await startLab({ capacity: options.capacity, latencyMs: options.latencyMs, gateway: options.gateway, env: io.env });
  try {
    const gatewayName = lab.gateway.kind === 'nginx' ? 'nginx' : 'the built-in gateway (nginx is not installed)';
    io.write(
      `1. Lab: a backend that holds ${options.capacity} requests in flight (${options.latencyMs} ms each), behind ${gatewayName}\n` +
        `   gateway_url ${lab.gateway.url}\n   backend_url ${lab.backend.url}\n` +
        (lab.gateway.errorLogPath ? `   error log   ${lab.gateway.errorLogPath}\n` : ''),
    );

    const config = buildDemoConfig({ gatewayUrl: lab.gateway.url, backendUrl: lab.backend.url });
    const generated = await generate(config, outDir);
    const environment = generated.environments[0];
    io.write(`\n2. Generated the "502 Debugging" collection and its environment\n   ${show(generated.collection)}\n   ${show(environment)}\n`);

    io.write('\n3. One pass through the gateway and direct to the backend (debug502 run)\n');
    const reportDir = join(outDir, 'reports');
    const run = await runCollection({ collection: generated.collection, environment, signal: io.signal, cwd: io.cwd });
    io.write(renderRunTable(run));
    const runFiles = await writeRunReports(run, { reporters: ['json', 'junit', 'markdown'], reportDir });

    io.write(`\n4. Ramp gateway and backend until 502s begin (debug502 ramp --target both --max ${options.maxConcurrency})\n`);
    const rampOptions = resolveRampOptions({ target: 'both', max: options.maxConcurrency, requestsPerStep: options.requestsPerStep, maxDuration: '5m' });
    const input = await loadRampInput({ collectionFile: generated.collection, environmentFile: environment, options: rampOptions, cwd: io.cwd });
    const ramp = await runRamp(input, { onProgress: createProgressListener({ write: io.write, isTTY: io.isTTY }), signal: io.signal });
    const rampFiles = await writeRampReport(ramp, reportDir);
    const files = [...runFiles, ...rampFiles];
    io.write(formatRampSummary(ramp, []));
    io.write(`\n5. Reports\n${files.map((f) => `   ${show(f)}\n`).join('')}`);
    return { gatewayKind: lab.gateway.kind, run, ramp, files };
  } finally {
    await lab.close();
  }
}
