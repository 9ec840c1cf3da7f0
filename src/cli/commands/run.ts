import type { Argv } from 'yargs';
import { RUN_REPORTERS, RUN_REPORTER_NAMES } from '../../report/run/index.js';
import { DEFAULT_TIMEOUT_REQUEST_MS } from '../../run/run-collection.js';
import { runCommand } from '../../run/run-command.js';
import { FOLDER_OPTION, INSECURE_OPTION, readFolders, type CommandDefinition } from '../command.js';
import { readReportArgs, reportOptions, type ReportArgs } from '../report-args.js';

interface RunArgs extends ReportArgs {
  collection: string;
  environment?: string;
  'env-var'?: string[];
  'timeout-request': string;
  insecure: boolean;
  'iteration-count'?: number;
  globals?: string;
  'global-var'?: string[];
  'iteration-data'?: string;
  'delay-request'?: number;
  bail: boolean;
  color?: string;
  folder?: string[];
  verbose: boolean;
  'ignore-redirects': boolean;
}

/**
 * `debug502 run`: one pass through gateway and backend, a verdict per endpoint, CI reports.
 * Exit 0 every test passed and every verdict is ok · 1 otherwise · 2 bad input · 3 runtime failure · 130 interrupted.
 */
export const runCli: CommandDefinition<RunArgs> = {
  command: 'run',
  describe: 'Run the collection once through the gateway and direct to the backend: a verdict per endpoint, JSON/JUnit/Markdown reports',
  builder: (yargs) =>
    reportOptions(
      yargs
        .option('collection', { type: 'string', demandOption: true, describe: 'Postman collection file (v2.1), e.g. from "debug502 generate"' })
        .option('environment', { alias: 'e', type: 'string', describe: 'Postman environment file with gateway_url and backend_url' })
        .option('env-var', { type: 'string', array: true, describe: 'Set a variable, overriding the environment: key=value (repeatable)' })
        .option('timeout-request', { type: 'string', default: String(DEFAULT_TIMEOUT_REQUEST_MS), describe: 'Total deadline of each request (connect, headers and the whole body), e.g. 500ms, 2s; a bare number is ms' })
        .option('insecure', INSECURE_OPTION)
        .option('folder', FOLDER_OPTION)
        .option('globals', { alias: 'g', type: 'string', describe: 'Postman globals file (below the environment, as in newman)' })
        .option('global-var', { type: 'string', array: true, describe: 'Set a global variable: key=value (repeatable)' })
        .option('iteration-data', { alias: 'd', type: 'string', describe: 'CSV (header row) or JSON array: one iteration per row, its columns as variables' })
        .option('iteration-count', { alias: ['n', 'iterations'], type: 'number', describe: 'Passes over the collection (default 1, or one per --iteration-data row); each endpoint keeps its worst answer' })
        .option('delay-request', { type: 'number', describe: 'Pause between requests, ms' })
        .option('bail', { type: 'boolean', default: false, describe: 'Stop at the first failed test or request error (the report covers what ran)' })
        .option('color', { type: 'string', choices: ['on', 'off', 'auto'], describe: "Colours in newman's own output (--verbose): on, off, auto" })
        .option('ignore-redirects', { type: 'boolean', default: false, describe: 'Do not follow redirects: a 3xx is the answer (as newman\'s --ignore-redirects)' })
        .option('verbose', { type: 'boolean', default: false, describe: "Show newman's own output" }),
      RUN_REPORTERS,
      { defaults: RUN_REPORTER_NAMES },
    )
      .example('$0 run --collection collections/502-debugging.postman_collection.json -e environments/local.postman_environment.json', '')
      .example('$0 run --collection c.json --env-var gateway_url=http://127.0.0.1:8080 --env-var backend_url=http://127.0.0.1:3000 -r cli,junit', '')
      .example('$0 run --collection c.json -e e.json -r cli,junit --reporter-junit-export results/junit.xml', 'JUnit where the CI looks for it') as unknown as Argv<RunArgs>,
  handler: async (args, io) => {
    const { exitCode } = await runCommand(
      {
        collection: args.collection,
        environment: args.environment,
        envVars: args['env-var'],
        globals: args.globals,
        globalVars: args['global-var'],
        iterationData: args['iteration-data'],
        iterations: args['iteration-count'],
        delayRequestMs: args['delay-request'],
        bail: args.bail,
        color: args.color,
        timeoutRequest: args['timeout-request'],
        insecure: args.insecure,
        folders: readFolders(args.folder),
        verbose: args.verbose,
        followRedirects: !args['ignore-redirects'],
        reports: readReportArgs(args, RUN_REPORTERS, io),
      },
      io,
    );
    return exitCode;
  },
};
