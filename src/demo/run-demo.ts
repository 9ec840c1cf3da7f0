/**
 * The demo: the whole story of debug502 on the built-in lab, in one call. Starts the lab (a backend
 * that holds CAPACITY requests in flight, behind nginx or the built-in gateway), generates the
 * collection and environment, runs one pass through both routes, ramps gateway and backend, writes
 * every report, and stops the lab — whatever happens in between.
 */
import { checkOutputDirectory } from '../fs/check-output.js';
import { basename, join, resolve } from 'node:path';
import { displayPath } from '../fs/display-path.js';
import { generate } from '../generate/index.js';
import { startLab, type GatewayChoice } from '../lab/index.js';
import type { GatewayKind } from '../gateways/profile.js';
import { labEnvironmentPath } from '../lab/lab-environment.js';
import type { RampReport, RunReport } from '../model.js';
import { rampCommand } from '../ramp/ramp-command.js';
import { runCommand } from '../run/run-command.js';
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
  gatewayKind: GatewayKind;
  run: RunReport;
  ramp: RampReport;
  files: string[];
}

/** Runs the demo; the lab is stopped before this returns or throws. */
export async function runDemo(options: DemoOptions, io: DemoIo): Promise<DemoResult> {
  const outDir = resolve(io.cwd, options.outDir);
  const show = (path: string) => displayPath(io.cwd, path);
  // Checked before the lab starts: a --out that is a file would otherwise end the demo half way.
  await checkOutputDirectory(outDir, '--out');
  const lab = await startLab({ capacity: options.capacity, latencyMs: options.latencyMs, gateway: options.gateway, env: io.env });
  try {
    const gatewayName = lab.gateway.kind === 'builtin' ? 'the built-in gateway (nginx is not installed)' : lab.profile.name;
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
    // The demo is the same commands a user runs: one Io for both, its reports in one directory.
    const commandIo = { stdout: io.write, stderr: io.write, isTTY: false, cwd: io.cwd, env: {}, signal: io.signal ?? new AbortController().signal };
    const { report: run, files: runFiles } = await runCommand({ collection: generated.collection, environment, reports: { reportDir } }, commandIo);

    io.write(`\n4. Ramp gateway and backend until 502s begin (debug502 ramp --target both --max ${options.maxConcurrency})\n`);
    const { report: ramp, files: rampFiles } = await rampCommand(
      { collection: generated.collection, environment, target: 'both', max: options.maxConcurrency, requestsPerStep: options.requestsPerStep, maxDuration: '5m', reports: { reportDir } },
      { ...commandIo, isTTY: io.isTTY },
    );
    const files = [...runFiles, ...rampFiles];
    io.write(`\n5. Reports in ${show(reportDir)}/: ${files.map((f) => basename(f)).join(', ')}\n`);
    const breaking = ramp?.targets.gateway?.breakingPoint;
    io.write(
      `\nBreaking point: ${breaking ? `${breaking.concurrency} concurrent requests` : 'none found'}` +
        ` (the lab backend holds ${options.capacity} in flight) · verdict: ${ramp?.verdict.code ?? 'none'}\n`,
    );
    io.write(formatDemoNextSteps(files.map(show), { collection: show(generated.collection), labEnvironment: show(labEnvironmentPath(io.cwd)) }));
    return { gatewayKind: lab.gateway.kind, run, ramp: ramp!, files };
  } finally {
    await lab.close();
  }
}

/**
 * Where the demo leaves a newcomer: the page to open (the ramp's HTML report, else the run's), a lab
 * fault to try with the demo's collection — the lab writes its environment into the working
 * directory (`labEnvironment`) —, and `init` for their own services. Paths as shown.
 */
export function formatDemoNextSteps(files: readonly string[], paths: { collection: string; labEnvironment: string }): string {
  const page = files.find((f) => f.endsWith('ramp.html')) ?? files.find((f) => f.endsWith('.html'));
  const env = `--environment ${paths.labEnvironment}`;
  const lines = [
    '',
    'Next',
    ...(page ? [`   open the report:     ${page}`] : []),
    '   try a cause of 502:  debug502 lab --fault crash-after=20    (or down, slow, malformed, 503, keepalive-race)',
    `                        and in another shell: debug502 run ${paths.collection} ${env}`,
    `                                              debug502 diagnose ${env} --log <the error_log the lab prints>`,
    '   your own services:   debug502 init --gateway-url https://gw.example --backend-url http://10.0.0.5:3000',
    '                        then debug502 generate, and run, ramp or diagnose what it writes',
  ];
  return lines.join('\n') + '\n';
}
