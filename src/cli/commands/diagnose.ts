import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { diagnoseCommand } from '../../diagnose/diagnose-command.js';
import type { LogSource } from '../../diagnose/index.js';
import { InputError } from '../../errors.js';
import type { Io } from '../../io.js';
import { GATEWAY_KINDS } from '../../gateways/index.js';
import { LOG_FORMATS, type GatewayKind, type LogFormat } from '../../model.js';
import { DIAGNOSE_REPORTERS } from '../../report/diagnose/index.js';
import { GATEWAY_TIMEOUT, parseDurationMs, type DurationSpec } from '../../options/parse-duration.js';
import { parseEnvVars } from '../../postman/env-var-list.js';
import type { CommandDefinition } from '../command.js';
import { collectionInputOptions, readCollectionInputArgs, type CollectionInputArgs } from '../collection-input-args.js';
import { describeRefusedOptions, POSTMAN_API_KEY_REFUSED, refuseExports, refuseOptions, type RefusedOption } from '../refused-options.js';
import { newmanOutputOptions, withNewmanOutput, type NewmanOutputArgs } from '../newman-output.js';
import { readReportArgs, reportOptions, type ReportArgs } from '../report-args.js';

const LOG_FORMAT_CHOICES = ['auto', ...LOG_FORMATS] as const;
/** `--gateway-idle-timeout`: how long the gateway keeps an idle pooled connection; a bare number is seconds, as ALB and nginx write it. */
const GATEWAY_IDLE_TIMEOUT: DurationSpec = { option: '--gateway-idle-timeout', bareUnit: 's', maxMs: 86_400_000 };

/** newman run's flags that mean nothing to a diagnosis: given, they say why (exit 2). */
const DIAGNOSE_REFUSED: Record<string, RefusedOption> = {
  'iteration-count': {
    alias: 'n',
    why: 'diagnose sends each request once through the gateway and once direct; repeating requests is what watch (over time) and ramp (under load) do',
    instead: 'use "debug502 watch" or "debug502 ramp"',
  },
  bail: { why: 'every probe runs, each bounded by its timeout, and the findings rank what they found', instead: 'drop --bail' },
  'delay-request': { why: 'the probes already go one request at a time, so as not to load a small backend', instead: 'drop --delay-request' },
  verbose: { flag: true, why: 'diagnose does not run newman; every probe and its evidence is in the report (-r cli,json)', instead: 'drop --verbose; -r json writes every probe' },
  color: { why: 'diagnose does not run newman, whose output it would colour', instead: 'drop --color' },
  timeout: {
    why: 'every probe has its own bound (--timeout-request for the HTTP ones, 3 s for DNS, TCP and TLS; the keep-alive probe waits at most the gateway idle timeout + 1 s), so the whole diagnosis is bounded',
    instead: 'use --timeout-request, or --no-keepalive-probe for a shorter run',
  },
  'timeout-script': { why: 'diagnose runs no scripts: its probes send each request as the collection writes it', instead: 'drop it; "debug502 run --timeout-script" runs the scripts' },
  'cookie-jar': { why: 'diagnose\'s probes keep no cookie jar: each request is sent as the collection writes it', instead: 'set the cookie in the collection\'s Cookie header, or use "debug502 run --cookie-jar"' },
  ...refuseExports('diagnose runs no scripts: the variables and cookies end as they began'),
  ...POSTMAN_API_KEY_REFUSED,
};

interface DiagnoseArgs extends ReportArgs, CollectionInputArgs, NewmanOutputArgs {
  'ignore-redirects'?: boolean;
  collection?: string;
  'health-path'?: string;
  log?: string[];
  'log-format': LogFormat | 'auto';
  since?: string;
  'gateway-timeout'?: string;
  'gateway-idle-timeout'?: string;
  'nginx-conf'?: string;
  'gateway-conf'?: string;
  'gateway-kind'?: GatewayKind;
  'keepalive-probe': boolean;
  format?: string[];
  'unsafe-methods': boolean;
}

/** `debug502 diagnose`: probes + gateway logs → ranked findings. Exit 0 none, 1 findings, 2 bad input. */
export const diagnoseCli: CommandDefinition<DiagnoseArgs> = {
  command: 'diagnose',
  describe: 'Name the likely cause of 502s: DNS, TCP, TLS, health, direct-vs-gateway and keep-alive probes plus the gateway\'s logs',
  builder: (yargs) =>
    newmanOutputOptions(collectionInputOptions(refuseOptions(reportOptions(yargs, DIAGNOSE_REPORTERS, { defaults: ['cli'], legacy: 'format' }), 'diagnose', DIAGNOSE_REFUSED), {
      environment: 'without it or --env-var gateway_url=… --env-var backend_url=…: the logs alone, no probes',
      globals: 'for the collection\'s variables',
      iterationData: 'CSV (header row) or JSON array whose FIRST row fills the collection\'s variables: diagnose sends each request once',
      insecure: 'accepted, changes nothing: diagnose never stops at a certificate that does not verify; the TLS probe reports it as a finding',
      timeoutRequest: { describe: 'Deadline of each HTTP probe, e.g. 500ms, 2s; a bare number is ms (default 5s, or 1s above --gateway-timeout, at most 30s)' },
    }))
      .option('ignore-redirects', { type: 'boolean', describe: 'Accepted, changes nothing: diagnose never follows a redirect — a 3xx is the answer it reports' })
      .option('collection', { type: 'string', describe: 'Collection whose own requests are sent once through the gateway and once direct, safe methods only (without it: GET /)' })
      .option('unsafe-methods', { type: 'boolean', default: false, describe: 'Also send the collection\'s POST, PUT, PATCH and DELETE requests (default: GET, HEAD and OPTIONS only; the others are listed as not probed)' })
      .option('health-path', { type: 'string', describe: 'Backend health path, e.g. /health (default: the collection\'s health request)' })
      .option('log', {
        type: 'string', array: true, alias: 'nginx-log',
        describe: 'Gateway log to classify, repeatable: nginx error or access log, HAProxy httplog, Caddy JSON log, Apache error or access log, varnishncsa, varnishlog -g request, Traefik, Envoy or ALB access log; plain or gzipped; - reads stdin. A log in no format it reads is exit 2',
      })
      .option('log-format', { choices: LOG_FORMAT_CHOICES, default: 'auto' as const, describe: 'Format of the logs; auto detects it per file from its first lines' })
      .option('since', { type: 'string', describe: 'Only log lines since: a duration back from now (500ms, 30m, 2h, 1d) or an ISO time, by each format\'s own timestamps' })
      .option('gateway-timeout', { type: 'string', describe: 'The gateway\'s proxy_read_timeout, to compare backend latency with, e.g. 60s (a bare number is ms)' })
      .option('gateway-kind', { choices: GATEWAY_KINDS, describe: 'Which gateway it is, when neither its log nor its Server/Via headers say: findings then read its own status table (HAProxy, Apache, Varnish answer 503 for a dead backend) and name its settings' })
      .option('gateway-idle-timeout', { type: 'string', describe: 'The gateway\'s idle timeout for pooled backend connections (ALB idle timeout, nginx upstream keepalive_timeout): 60s, 500ms, 2m; a bare number is seconds (default: from --gateway-conf, else its kind\'s documented default where it pools by default; unknown: the keep-alive race is a note, not a finding)' })
      .option('gateway-conf', { type: 'string', alias: 'nginx-conf', describe: 'The gateway\'s configuration to read its upstream pooling from: nginx.conf (upstream keepalive, keepalive_timeout), haproxy.cfg (http-reuse), a Caddyfile (transport keepalive), Apache (ProxyPass disablereuse= / ttl=)' })
      .option('keepalive-probe', { type: 'boolean', default: true, describe: 'Measure how long the backend keeps an idle keep-alive connection (waits up to the gateway idle timeout + 1 s); --no-keepalive-probe skips it' })
      .example('$0 diagnose --environment environments/local.postman_environment.json --log /var/log/nginx/error.log --since 30m', 'probes plus the nginx error log')
      .example('$0 diagnose --log 123456789012_elasticloadbalancing_us-east-1_app.my-alb.log.gz', 'an ALB access log copied from S3, alone')
      .example('kubectl logs deploy/envoy | $0 diagnose --log - --log-format envoy', 'a log from a pipe')
      .epilogue(`Exit: 0 nothing wrong · 1 findings (ranked, most likely first) · 2 bad input\n\n${describeRefusedOptions(DIAGNOSE_REFUSED)}`) as unknown as Argv<DiagnoseArgs>,
  handler: async (args, io) => withNewmanOutput(args, io, async (io) => {
    const file = (path: string | undefined) => (path === undefined ? undefined : resolve(io.cwd, path));
    const idle = args['gateway-idle-timeout'];
    const gatewayIdleTimeoutMs = idle === undefined ? undefined : parseDurationMs(idle, GATEWAY_IDLE_TIMEOUT);
    // The old --format printed one rendering on stdout; it keeps doing so (with a deprecation line).
    const legacyFormat = args.format?.at(-1);
    if (legacyFormat !== undefined) io.stderr('warning: --format is deprecated and goes away in debug502 0.3: use -r/--reporters cli,json,markdown (files go to --report-dir)\n');
    const input = readCollectionInputArgs(args);
    const { exitCode } = await diagnoseCommand(
      {
        environmentFile: file(input.environment),
        collectionFile: file(args.collection),
        unsafeMethods: args['unsafe-methods'],
        envVars: parseEnvVars(input.envVars),
        globals: input.globals,
        globalVars: input.globalVars,
        iterationData: input.iterationData,
        folders: input.folders,
        workingDir: file(input.workingDir),
        insecureFileRead: input.insecureFileRead,
        insecure: input.insecure,
        tls: input.tls,
        timeoutRequest: input.timeoutRequest,
        healthPath: args['health-path'],
        logs: logSources(args.log ?? [], io),
        logFormat: args['log-format'],
        since: args.since,
        gatewayTimeoutMs: args['gateway-timeout'] === undefined ? undefined : parseDurationMs(args['gateway-timeout'], GATEWAY_TIMEOUT),
        gatewayIdleTimeoutMs,
        gatewayConfFile: file(args['gateway-conf'] ?? args['nginx-conf']),
        gatewayKind: args['gateway-kind'],
        keepaliveProbe: args['keepalive-probe'],
        legacyFormat,
        reports: legacyFormat === undefined ? readReportArgs(args, DIAGNOSE_REPORTERS, io) : undefined,
      },
      io,
    );
    return exitCode;
  }),
};

/** `--log` values as sources: paths resolved against cwd, `-` as stdin (at most once). */
function logSources(values: readonly string[], io: Io): LogSource[] {
  if (values.filter((v) => v === '-').length > 1) throw new InputError('--log: - (stdin) can be given only once', [], 'pass the other logs as files');
  return values.map((value) => {
    if (value !== '-') return resolve(io.cwd, value);
    if (!io.stdin) throw new InputError('--log -: no standard input here', [], 'pass the log as a file');
    return { name: 'stdin', stream: io.stdin as AsyncIterable<Buffer> };
  });
}
