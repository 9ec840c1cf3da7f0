import type { Argv } from 'yargs';
import { RUN_REPORTERS, RUN_REPORTER_NAMES } from '../../report/run/index.js';
import { DEFAULT_TIMEOUT_REQUEST_MS } from '../../run/run-collection.js';
import { runCommand } from '../../run/run-command.js';
import { collectionArgument, type CommandDefinition } from '../command.js';
import { collectionInputOptions, readCollectionInputArgs, type CollectionInputArgs } from '../collection-input-args.js';
import { readReportArgs, reportOptions, type ReportArgs } from '../report-args.js';

interface RunArgs extends ReportArgs, CollectionInputArgs {
  collection: string;
  'iteration-count'?: number;
  'delay-request'?: number;
  bail: boolean;
  color?: string;
  verbose: boolean;
  'export-environment'?: string;
  'export-globals'?: string;
  'ignore-redirects': boolean;
}

/**
 * `debug502 run`: one pass through gateway and backend, a verdict per endpoint, CI reports.
 * Exit 0 every test passed and every verdict is ok · 1 otherwise · 2 bad input · 3 runtime failure · 130 interrupted.
 */
export const runCli: CommandDefinition<RunArgs> = {
  command: 'run [collection]',
  describe: 'Run the collection once through the gateway and direct to the backend: a verdict per endpoint, JSON/JUnit/Markdown reports',
  builder: (yargs) =>
    reportOptions(
      collectionInputOptions(collectionArgument(yargs, 'Postman collection file (v2.1) or v3 directory, e.g. from "debug502 generate"'), {
        iterationData: 'CSV (header row) or JSON array: one iteration per row, its columns as variables',
        timeoutRequest: { default: String(DEFAULT_TIMEOUT_REQUEST_MS) },
      })
        .option('iteration-count', { alias: ['n', 'iterations'], type: 'number', describe: 'Passes over the collection (default 1, or one per --iteration-data row); each endpoint keeps its worst answer' })
        .option('delay-request', { type: 'number', describe: 'Pause between requests, ms' })
        .option('bail', { type: 'boolean', default: false, describe: 'Stop at the first failed test or request error (the report covers what ran)' })
        .option('color', { type: 'string', choices: ['on', 'off', 'auto'], describe: "Colours in newman's own output (--verbose): on, off, auto" })
        .option('ignore-redirects', { type: 'boolean', default: false, describe: 'Do not follow redirects: a 3xx is the answer (as newman\'s --ignore-redirects)' })
        .option('verbose', { type: 'boolean', default: false, describe: "Show newman's own output" })
        .option('export-environment', { type: 'string', describe: 'After the run, write the environment as the run left it (scripts may set variables) to this file, as newman does — values as they are, secrets too' })
        .option('export-globals', { type: 'string', describe: 'After the run, write the globals as the run left them to this file, as newman does' }),
      RUN_REPORTERS,
      { defaults: RUN_REPORTER_NAMES },
    )
      .example('$0 run collections/502-debugging.postman_collection.json -e environments/local.postman_environment.json', 'as newman run takes it; --collection FILE works too')
      .example('$0 run c.json --env-var gateway_url=http://127.0.0.1:8080 --env-var backend_url=http://127.0.0.1:3000 -r cli,junit', '')
      .example('$0 run c.json -e e.json -r cli,junit --reporter-junit-export results/junit.xml', 'JUnit where the CI looks for it') as unknown as Argv<RunArgs>,
  handler: async (args, io) => {
    const { exitCode } = await runCommand(
      {
        collection: args.collection,
        ...readCollectionInputArgs(args),
        iterations: args['iteration-count'],
        delayRequestMs: args['delay-request'],
        bail: args.bail,
        color: args.color,
        verbose: args.verbose,
        followRedirects: !args['ignore-redirects'],
        reports: readReportArgs(args, RUN_REPORTERS, io),
        exportEnvironment: args['export-environment'],
        exportGlobals: args['export-globals'],
      },
      io,
    );
    return exitCode;
  },
};
