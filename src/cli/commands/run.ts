import type { Argv } from 'yargs';
import { RUN_REPORTERS, RUN_REPORTER_NAMES } from '../../report/run/index.js';
import { DEFAULT_TIMEOUT_REQUEST_MS } from '../../run/run-collection.js';
import { runCommand } from '../../run/run-command.js';
import { collectionArgument, splitList, type CommandDefinition } from '../command.js';
import { NEWMAN_REPORTER_PREFIX, type NewmanReporterRequest } from '../../run/newman-reporters.js';
import { collectionInputOptions, readCollectionInputArgs, type CollectionInputArgs } from '../collection-input-args.js';
import { readReportArgs, reportOptions, type ReportArgs } from '../report-args.js';
import { newmanOutputOptions, withNewmanOutput, type NewmanOutputArgs } from '../newman-output.js';
import { describeRefusedOptions, POSTMAN_API_KEY_REFUSED, refuseOptions } from '../refused-options.js';
import { InputError } from '../../errors.js';

interface RunArgs extends ReportArgs, CollectionInputArgs, NewmanOutputArgs {
  collection: string;
  'iteration-count'?: number;
  'delay-request'?: number;
  bail?: string;
  color?: string;
  verbose: boolean;
  'export-environment'?: string;
  'export-globals'?: string;
  'export-collection'?: string;
  'export-cookie-jar'?: string;
  'cookie-jar'?: string;
  timeout?: string;
  'timeout-script'?: string;
  'ignore-redirects': boolean;
  'reporter-newman-json-export'?: string;
  'reporter-newman-junit-export'?: string;
}

/**
 * `debug502 run`: one pass through gateway and backend, a verdict per endpoint, CI reports.
 * Exit 0 every test passed and every verdict is ok · 1 otherwise · 2 bad input · 3 runtime failure · 130 interrupted.
 */
export const runCli: CommandDefinition<RunArgs> = {
  command: 'run [collection]',
  describe: 'Run the collection once through the gateway and direct to the backend: a verdict per endpoint, JSON/JUnit/Markdown reports',
  builder: (yargs) =>
    newmanOutputOptions(refuseOptions(reportOptions(
      collectionInputOptions(collectionArgument(yargs, 'Postman collection file (v2.1, v2.0 or v1) or v3 directory, e.g. from "debug502 generate"'), {
        iterationData: 'CSV (header row) or JSON array: one iteration per row, its columns as variables',
        timeoutRequest: { default: String(DEFAULT_TIMEOUT_REQUEST_MS) },
      })
        .option('iteration-count', { alias: ['n', 'iterations'], type: 'number', describe: 'Passes over the collection (default 1, or one per --iteration-data row); each endpoint keeps its worst answer' })
        .option('delay-request', { type: 'number', describe: 'Pause between requests, ms' })
        .option('bail', { type: 'string', describe: 'Stop at the first failed test or request error (the report covers what ran); newman\'s modifiers: --bail failure (the same), --bail folder (always on here: an unknown --folder is exit 2)' })
        .option('color', { type: 'string', choices: ['on', 'off', 'auto'], describe: "Colours in newman's own output (--verbose): on, off, auto" })
        .option('ignore-redirects', { type: 'boolean', default: false, describe: 'Do not follow redirects: a 3xx is the answer (as newman\'s --ignore-redirects)' })
        .option('verbose', { type: 'boolean', default: false, describe: "Show newman's own output" })
        .option('timeout', { type: 'string', describe: 'Deadline of the whole run, as newman\'s --timeout (ms, or 90s, 10m; 0: none): past it newman stops the run and debug502 exits 3, writing no report' })
        .option('timeout-script', { type: 'string', describe: 'Deadline of each pre-request and test script, as newman\'s --timeout-script (ms, or 2s; 0: none)' })
        .option('cookie-jar', { type: 'string', describe: 'Start with these cookies: a tough-cookie jar (JSON), as newman\'s --cookie-jar and --export-cookie-jar write it' })
        .option('export-environment', { type: 'string', describe: 'After the run, write the environment as the run left it (scripts may set variables) to this file, as newman does — values as they are, secrets too' })
        .option('export-globals', { type: 'string', describe: 'After the run, write the globals as the run left them to this file, as newman does' })
        .option('export-collection', { type: 'string', describe: 'After the run, write the collection that ran to this file, as newman does (v2.1, narrowed to --folder; as in newman, what scripts set with pm.collectionVariables is not in it)' })
        .option('export-cookie-jar', { type: 'string', describe: 'After the run, write the cookie jar (tough-cookie JSON, cookies as they are) to this file, as newman does' })
        .option('reporter-newman-json-export', { type: 'string', describe: 'Write newman\'s JSON run summary (-r newman-json) to this file (default: newman-run-report.json in --report-dir); turns it on' })
        .option('reporter-newman-junit-export', { type: 'string', describe: 'Write newman\'s JUnit report (-r newman-junit) to this file (default: newman-run-report.xml in --report-dir); turns it on' }),
      RUN_REPORTERS,
      { defaults: RUN_REPORTER_NAMES, reportersHelp: RUN_JSON_NOTE },
    ), 'run', POSTMAN_API_KEY_REFUSED))
      .example('$0 run collections/502-debugging.postman_collection.json -e environments/local.postman_environment.json', 'as newman run takes it; --collection FILE works too')
      .example('$0 run c.json --env-var gateway_url=http://127.0.0.1:8080 --env-var backend_url=http://127.0.0.1:3000 -r cli,junit', '')
      .example('$0 run c.json -e e.json -r cli,junit --reporter-junit-export results/junit.xml', 'JUnit where the CI looks for it')
      .example('$0 run c.json -e e.json --ssl-client-cert client.pem --ssl-client-key client.key --ssl-extra-ca-certs ca.pem', 'a gateway with mutual TLS and a private CA')
      .epilogue(`${RUN_JSON_NOTE}\n\n${describeRefusedOptions(POSTMAN_API_KEY_REFUSED)}`) as unknown as Argv<RunArgs>,
  handler: async (args, io) => withNewmanOutput(args, io, async (io) => {
    const { reporters, newmanReporters } = splitNewmanReporters(args);
    const { exitCode } = await runCommand(
      {
        collection: args.collection,
        ...readCollectionInputArgs(args),
        iterations: args['iteration-count'],
        delayRequestMs: args['delay-request'],
        bail: readBail(args.bail),
        color: args.color,
        verbose: args.verbose,
        followRedirects: !args['ignore-redirects'],
        reports: readReportArgs({ ...args, reporters }, RUN_REPORTERS, io),
        newmanReporters,
        exportEnvironment: args['export-environment'],
        exportGlobals: args['export-globals'],
        exportCollection: args['export-collection'],
        exportCookieJar: args['export-cookie-jar'],
        cookieJar: args['cookie-jar'],
        timeout: args.timeout,
        timeoutScript: args['timeout-script'],
      },
      io,
    );
    return exitCode;
  }),
};

/** What -r json means here, said in --help: the clash with newman's own json reporter. */
const RUN_JSON_NOTE = 'json and junit are debug502\'s reports (run.json: every endpoint, its two sides and its verdict, which "debug502 report" and CI read); newman\'s own reporters run beside them by newman\'s name with newman- before it: newman-json (newman\'s JSON run summary, what "newman run -r json" writes), newman-junit, newman-cli, newman-progress, newman-emojitrain, or newman-NAME for an installed newman-reporter-NAME';

/**
 * `-r` split into debug502's reporters and newman's own (`newman-json` → newman's `json`), with the
 * newman export flags turning theirs on. Only newman's given: debug502 keeps its `cli` table.
 */
function splitNewmanReporters(args: RunArgs): { reporters: string[] | undefined; newmanReporters: NewmanReporterRequest[] } {
  const typed = args.reporters === undefined ? undefined : splitList(args.reporters);
  const names = new Set((typed ?? []).filter((n) => n.toLowerCase().startsWith(NEWMAN_REPORTER_PREFIX)).map((n) => n.toLowerCase().slice(NEWMAN_REPORTER_PREFIX.length)));
  const exports: Record<string, string | undefined> = { json: args['reporter-newman-json-export'], junit: args['reporter-newman-junit-export'] };
  for (const [name, path] of Object.entries(exports)) if (path !== undefined) names.add(name);
  const own = typed?.filter((n) => !n.toLowerCase().startsWith(NEWMAN_REPORTER_PREFIX));
  return {
    reporters: own !== undefined && own.length === 0 ? ['cli'] : own,
    newmanReporters: [...names].map((name) => ({ name, ...(exports[name] !== undefined ? { export: exports[name] } : {}) })),
  };
}

/** `--bail` and newman's modifiers: bare or `failure` stops at the first failure; `folder` alone does not (debug502 always refuses an unknown folder). */
function readBail(value: string | undefined): boolean {
  if (value === undefined) return false;
  const modifiers = value.split(',').map((m) => m.trim()).filter(Boolean);
  const unknown = modifiers.filter((m) => m !== 'failure' && m !== 'folder');
  if (unknown.length > 0) throw new InputError(`--bail: "${unknown.join(',')}" is not one of newman's modifiers (failure, folder)`, [], 'give --bail alone (stop at the first failure), or --bail failure; put the collection first: run COLLECTION --bail');
  return modifiers.length === 0 || modifiers.includes('failure');
}
