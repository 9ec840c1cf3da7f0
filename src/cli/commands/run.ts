import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT, InputError } from '../../errors.js';
import { displayPath } from '../../fs/display-path.js';
import { parseRunReporters, renderRunTable, RUN_REPORTER_NAMES, runPassed, writeRunReports } from '../../report/run/index.js';
import { DEFAULT_TIMEOUT_REQUEST_MS, runCollection } from '../../run/run-collection.js';
import { parseEnvVars, splitList, type CommandDefinition } from '../command.js';

interface RunArgs {
  collection: string;
  environment?: string;
  'env-var'?: string[];
  reporters?: string[];
  'report-dir': string;
  'timeout-request': number;
  insecure: boolean;
  iterations: number;
  verbose: boolean;
}

const MAX_ITERATIONS = 1000;

/**
 * `debug502 run`: one pass through gateway and backend, a verdict per endpoint, CI reports.
 * Exit 0 every test passed and every verdict is ok · 1 otherwise · 2 bad input · 3 runtime failure · 130 interrupted.
 */
export const runCommand: CommandDefinition<RunArgs> = {
  command: 'run',
  describe: 'Run the collection once through the gateway and direct to the backend: a verdict per endpoint, JSON/JUnit/Markdown reports',
  builder: (yargs) =>
    yargs
      .option('collection', { type: 'string', demandOption: true, describe: 'Postman collection file (v2.1), e.g. from "debug502 generate"' })
      .option('environment', { type: 'string', describe: 'Postman environment file with gateway_url and backend_url' })
      .option('env-var', { type: 'string', array: true, describe: 'Set a variable, overriding the environment: key=value (repeatable)' })
      .option('reporters', { type: 'string', array: true, default: [...RUN_REPORTER_NAMES], defaultDescription: RUN_REPORTER_NAMES.join(','), describe: `Comma-separated: ${RUN_REPORTER_NAMES.join(', ')}` })
      .option('report-dir', { type: 'string', default: 'reports', describe: 'Where run.json, run.junit.xml and run.md go' })
      .option('timeout-request', { type: 'number', default: DEFAULT_TIMEOUT_REQUEST_MS, describe: 'Per-request timeout in ms' })
      .option('insecure', { type: 'boolean', default: false, describe: 'Accept TLS certificates that do not verify (self-signed)' })
      .option('iterations', { type: 'number', default: 1, describe: 'Passes over the collection; each endpoint keeps its worst answer' })
      .option('verbose', { type: 'boolean', default: false, describe: "Show newman's own output" })
      .example('$0 run --collection collections/502-debugging.postman_collection.json --environment environments/local.postman_environment.json', '')
      .example('$0 run --collection c.json --env-var gateway_url=http://127.0.0.1:8080 --env-var backend_url=http://127.0.0.1:3000 --reporters cli,junit', '') as unknown as Argv<RunArgs>,
  handler: async (args, io) => {
    const reporters = parseRunReporters(splitList(args.reporters));
    checkWholeNumber('--iterations', args.iterations, 1, MAX_ITERATIONS);
    checkWholeNumber('--timeout-request', args['timeout-request'], 1, 3_600_000);
    const envVars = parseEnvVars(args['env-var']);
    let done = 0;
    const report = await runCollection(
      {
        collection: args.collection,
        environment: args.environment,
        envVars,
        iterations: args.iterations,
        timeoutRequestMs: args['timeout-request'],
        insecure: args.insecure,
        verbose: args.verbose,
        signal: io.signal,
        cwd: io.cwd,
      },
      // On a terminal, one line that counts requests, so a slow backend does not look like a hang.
      { onOutcome: io.isTTY && !args.verbose ? () => io.stderr(`\rrunning… ${++done} request(s) done`) : undefined },
    );
    if (done > 0) io.stderr('\r\x1b[K');
    const written = await writeRunReports(report, { reporters, reportDir: resolve(io.cwd, args['report-dir']), stepSummaryPath: io.env.GITHUB_STEP_SUMMARY });
    if (reporters.includes('cli')) {
      io.stdout(renderRunTable(report));
      if (written.length > 0) io.stdout(`reports: ${written.map((path) => displayPath(io.cwd, path)).join(', ')}\n`);
    }
    if (report.meta.interrupted) return EXIT.interrupted;
    return runPassed(report) ? EXIT.ok : EXIT.failed;
  },
};

function checkWholeNumber(option: string, value: number, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new InputError(`${option}: must be a whole number from ${min} to ${max}, not ${String(value)}`);
  }
}
