import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { diagnose } from '../../diagnose/index.js';
import { DIAGNOSE_REPORTERS, renderDiagnoseFiles } from '../../report/diagnose/index.js';
import { printReporters } from '../../report/registry.js';
import { EXIT, InputError } from '../../errors.js';
import type { CommandDefinition } from '../command.js';

const FORMATS = ['text', 'json', 'markdown'] as const;

interface DiagnoseArgs {
  environment: string;
  collection?: string;
  'health-path'?: string;
  'nginx-log'?: string;
  since?: string;
  'gateway-timeout'?: number;
  format: (typeof FORMATS)[number];
}

/** `debug502 diagnose`: probes + nginx error log → ranked findings. Exit 0 none, 1 findings, 2 bad input. */
export const diagnoseCommand: CommandDefinition<DiagnoseArgs> = {
  command: 'diagnose',
  describe: 'Name the likely cause of 502s: DNS, TCP, TLS, health and direct-vs-gateway probes plus the nginx error log',
  builder: (yargs) =>
    yargs
      .option('environment', { type: 'string', demandOption: true, describe: 'Postman environment file with gateway_url and backend_url' })
      .option('collection', { type: 'string', describe: 'Collection whose requests are sent once through the gateway and once direct (default: GET /)' })
      .option('health-path', { type: 'string', describe: 'Backend health path, e.g. /health (default: the collection\'s health request)' })
      .option('nginx-log', { type: 'string', describe: 'nginx error log to classify, e.g. /var/log/nginx/error.log' })
      .option('since', { type: 'string', describe: 'Only log lines since: 30m, 2h, 1d or an ISO time' })
      .option('gateway-timeout', { type: 'number', describe: 'The gateway\'s proxy_read_timeout in ms, to compare backend latency with' })
      .option('format', { choices: FORMATS, default: 'text' as const, describe: 'Output format' })
      .example('$0 diagnose --environment environments/local.postman_environment.json --nginx-log /var/log/nginx/error.log --since 30m', '')
      .epilogue('Exit: 0 nothing wrong · 1 findings (ranked, most likely first) · 2 bad input') as unknown as Argv<DiagnoseArgs>,
  handler: async (args, io) => {
    if (args['gateway-timeout'] !== undefined && Number.isNaN(args['gateway-timeout'])) {
      throw new InputError('--gateway-timeout: must be a number of milliseconds', [], 'e.g. --gateway-timeout 60000');
    }
    const file = (path: string | undefined) => (path === undefined ? undefined : resolve(io.cwd, path));
    const report = await diagnose(
      {
        environmentFile: file(args.environment)!,
        collectionFile: file(args.collection),
        healthPath: args['health-path'],
        nginxLogFile: file(args['nginx-log']),
        since: args.since,
        gatewayTimeoutMs: args['gateway-timeout'],
      },
      { signal: io.signal },
    );
    // --format prints one rendering on stdout: the terminal view, or a file reporter's content.
    if (args.format === 'text') io.stdout(printReporters(DIAGNOSE_REPORTERS, report, ['cli']));
    else io.stdout(renderDiagnoseFiles(report, [args.format]).map((file) => file.content).join(''));
    return report.findings.length > 0 ? EXIT.failed : EXIT.ok;
  },
};
