import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { diagnoseCommand } from '../../diagnose/diagnose-command.js';
import { DIAGNOSE_REPORTERS } from '../../report/diagnose/index.js';
import { GATEWAY_TIMEOUT, parseDurationMs } from '../../options/parse-duration.js';
import type { CommandDefinition } from '../command.js';
import { readReportArgs, reportOptions, type ReportArgs } from '../report-args.js';

interface DiagnoseArgs extends ReportArgs {
  environment: string;
  collection?: string;
  'health-path'?: string;
  'nginx-log'?: string;
  since?: string;
  'gateway-timeout'?: string;
  format?: string[];
}

/** `debug502 diagnose`: probes + nginx error log → ranked findings. Exit 0 none, 1 findings, 2 bad input. */
export const diagnoseCli: CommandDefinition<DiagnoseArgs> = {
  command: 'diagnose',
  describe: 'Name the likely cause of 502s: DNS, TCP, TLS, health and direct-vs-gateway probes plus the nginx error log',
  builder: (yargs) =>
    reportOptions(yargs, DIAGNOSE_REPORTERS, { defaults: ['cli'], legacy: 'format' })
      .option('environment', { alias: 'e', type: 'string', demandOption: true, describe: 'Postman environment file with gateway_url and backend_url' })
      .option('collection', { type: 'string', describe: 'Collection whose requests are sent once through the gateway and once direct (default: GET /)' })
      .option('health-path', { type: 'string', describe: 'Backend health path, e.g. /health (default: the collection\'s health request)' })
      .option('nginx-log', { type: 'string', describe: 'nginx error log to classify, e.g. /var/log/nginx/error.log' })
      .option('since', { type: 'string', describe: 'Only log lines since: a duration back from now (500ms, 30m, 2h, 1d) or an ISO time' })
      .option('gateway-timeout', { type: 'string', describe: 'The gateway\'s proxy_read_timeout, to compare backend latency with, e.g. 60s (a bare number is ms)' })
      .example('$0 diagnose --environment environments/local.postman_environment.json --nginx-log /var/log/nginx/error.log --since 30m', '')
      .epilogue('Exit: 0 nothing wrong · 1 findings (ranked, most likely first) · 2 bad input') as unknown as Argv<DiagnoseArgs>,
  handler: async (args, io) => {
    const file = (path: string | undefined) => (path === undefined ? undefined : resolve(io.cwd, path));
    // The old --format printed one rendering on stdout; it keeps doing so (with a deprecation line).
    const legacyFormat = args.format?.at(-1);
    if (legacyFormat !== undefined) io.stderr('warning: --format is deprecated and goes away in debug502 0.3: use -r/--reporters cli,json,markdown (files go to --report-dir)\n');
    const { exitCode } = await diagnoseCommand(
      {
        environmentFile: file(args.environment)!,
        collectionFile: file(args.collection),
        healthPath: args['health-path'],
        nginxLogFile: file(args['nginx-log']),
        since: args.since,
        gatewayTimeoutMs: args['gateway-timeout'] === undefined ? undefined : parseDurationMs(args['gateway-timeout'], GATEWAY_TIMEOUT),
        legacyFormat,
        reports: legacyFormat === undefined ? readReportArgs(args, DIAGNOSE_REPORTERS, io) : undefined,
      },
      io,
    );
    return exitCode;
  },
};
