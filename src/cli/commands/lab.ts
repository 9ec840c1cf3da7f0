import { EXIT, InputError } from '../../errors.js';
import { displayPath } from '../../fs/display-path.js';
import { FAULT_SYNTAX, formatFault, parseFault } from '../../lab/fault.js';
import { NEXT_UPSTREAM_CHOICES, type NextUpstream } from '../../lab/gateway.js';
import { buildLabEnvironment, checkLabEnvironmentOutput, writeLabEnvironment } from '../../lab/lab-environment.js';
import { checkLabUpstream, GATEWAY_CHOICES, labBackendIdleTimeoutMs, startLab, UPSTREAM_HINT, type GatewayChoice, type Lab, type LabOptions } from '../../lab/lab.js';
import { GATEWAY_TIMEOUT, LATENCY, parseDurationMs, type DurationSpec } from '../../options/parse-duration.js';
import type { CommandDefinition } from '../command.js';
import type { Io } from '../io.js';

interface LabArgs {
  capacity?: number;
  latency?: string;
  fault: string;
  gateway: GatewayChoice;
  'gateway-port'?: number;
  'backend-port'?: number;
  'gateway-timeout'?: string;
  'max-conns'?: number;
  keepalive?: number;
  'next-upstream'?: NextUpstream;
  upstream?: string;
}

/** `debug502 lab`: the lab backend and a gateway in front of it, until Ctrl-C. Exit 0 after a clean stop. */
export const labCli: CommandDefinition<LabArgs> = {
  command: 'lab',
  describe: 'Run a local backend with a fault of the guide behind a real gateway (nginx, HAProxy, Caddy, Apache, Varnish) or the built-in one, until Ctrl-C',
  builder: (yargs) =>
    yargs
      .option('capacity', { type: 'number', describe: 'Backend: most requests in flight; beyond it the socket is destroyed (default: no cap)' })
      .option('latency', { type: 'string', describe: 'Backend: delay before every answer, e.g. 50ms, 2s; a bare number is ms (default 0)' })
      .option('fault', { type: 'string', default: 'none', describe: `Backend fault: ${FAULT_SYNTAX}` })
      .option('gateway', { choices: GATEWAY_CHOICES, default: 'auto' as const, describe: 'Which gateway: auto is nginx when installed, else the built-in Node gateway' })
      .option('gateway-port', { type: 'number', describe: 'Gateway port on 127.0.0.1 (default: a free one)' })
      .option('backend-port', { type: 'number', describe: 'Backend port on 127.0.0.1 (default: a free one)' })
      .option('gateway-timeout', {
        type: 'string',
        describe: 'How long the gateway waits for an answer (nginx proxy_read_timeout, HAProxy timeout server, Caddy response_header_timeout, Apache ProxyTimeout, Varnish .first_byte_timeout), e.g. 5s; a bare number is ms (default 5000)',
      })
      .option('max-conns', { type: 'number', describe: 'Gateway cap on connections to the backend (nginx max_conns, HAProxy maxconn, Caddy max_conns_per_host, Apache max=, Varnish .max_connections)' })
      .option('keepalive', {
        type: 'number',
        describe: 'Gateway: idle backend connections pooled, as nginx "keepalive N"; 0 turns pooling off (default: the gateway\'s own — nginx does not pool, the others do; 16 with --fault keepalive-race)',
      })
      .option('next-upstream', {
        choices: NEXT_UPSTREAM_CHOICES,
        describe: 'Gateway proxy_next_upstream (default "error timeout"; off with --fault keepalive-race, because nginx retries a GET once on a fresh connection and hides the race)',
      })
      .option('upstream', {
        type: 'string',
        describe: 'host:port the gateway forwards to instead of the lab backend (which still runs): a dead port, another port, or NAME.invalid for a DNS failure',
      })
      .example('$0 lab --capacity 8 --latency 50', 'a backend that holds 8 requests at once, behind nginx')
      .example('$0 lab --gateway haproxy --fault down', 'a dead backend behind HAProxy (which answers 503, not 502)')
      .example('$0 lab --fault crash-after=20', 'the backend dies after 20 requests')
      .example('$0 lab --fault keepalive-race=1000', 'the backend closes idle keep-alive connections after 1 s while the gateway pools them')
      .example('$0 lab --upstream 127.0.0.1:9', 'a misconfigured gateway: healthy backend, gateway forwards to a dead port')
      .example('$0 lab --upstream backend.invalid:8080', 'DNS: the gateway\'s upstream name does not resolve') as never,
  handler: async (args, io) => {
    const options = labOptions(args, io);
    await checkLabEnvironmentOutput(io.cwd);
    const lab = await startLab(options);
    try {
      const environment = buildLabEnvironment({ gatewayUrl: lab.gateway.url, backendUrl: lab.backend.url });
      const environmentPath = await writeLabEnvironment(io.cwd, environment);
      io.stdout(describeLab(lab, options, displayPath(io.cwd, environmentPath)));
      await waitForAbort(io.signal);
    } finally {
      await lab.close();
    }
    const stats = lab.backend.stats();
    io.stdout(`lab stopped: the backend got ${stats.requests} request${stats.requests === 1 ? '' : 's'}, dropped ${stats.rejected}, peak ${stats.peakInFlight} in flight.\n`);
    return EXIT.ok;
  },
};

function labOptions(args: LabArgs, io: Io): LabOptions {
  const problems: string[] = [];
  const numberArg = (name: keyof LabArgs & string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const value = args[name] as number | undefined;
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      problems.push(`--${name}: must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`} (got ${value})`);
      return undefined;
    }
    return value;
  };
  const durationArg = (value: string | undefined, spec: DurationSpec) => {
    if (value === undefined) return undefined;
    try {
      return parseDurationMs(value, spec);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const options: LabOptions = {
    capacity: numberArg('capacity', 1),
    latencyMs: durationArg(args.latency, LATENCY),
    gateway: args.gateway,
    gatewayPort: numberArg('gateway-port', 1, 65_535),
    backendPort: numberArg('backend-port', 1, 65_535),
    gatewayTimeoutMs: durationArg(args['gateway-timeout'], GATEWAY_TIMEOUT),
    maxConns: numberArg('max-conns', 1),
    keepalive: numberArg('keepalive', 0),
    nextUpstream: args['next-upstream'],
    upstream: args.upstream,
    env: io.env,
  };
  const upstreamProblem = args.upstream === undefined ? null : checkLabUpstream(args.upstream, options.gatewayPort);
  if (upstreamProblem) problems.push(`--upstream: ${upstreamProblem}`);
  try {
    options.fault = parseFault(args.fault);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(`--fault: "${args.fault}" is not one of ${FAULT_SYNTAX}`);
  }
  if (problems.length > 0) throw new InputError('invalid lab options', problems, upstreamProblem ? UPSTREAM_HINT : 'see debug502 lab --help');
  return options;
}

function describeLab(lab: Lab, options: LabOptions, environmentPath: string): string {
  const backend = [
    options.capacity !== undefined ? `capacity ${options.capacity}` : 'no capacity cap',
    `latency ${options.latencyMs ?? 0} ms`,
    `fault ${formatFault(options.fault ?? { kind: 'none' })}`,
    ...(options.fault?.kind === 'keepalive-race' ? [] : [describeBackendIdle(labBackendIdleTimeoutMs(lab.profile, options))]),
  ].join(', ');
  const { gateway } = lab;
  const logs = gateway.logs.length > 0 ? gateway.logs.map((log) => `${log.label}: ${log.path}`) : ['error_log: (none)'];
  // diagnose reads the pooling of nginx, HAProxy, Caddy and Apache configurations (not Varnish's VCL).
  const conf = gateway.configPath && ['nginx', 'haproxy', 'caddy', 'apache'].includes(gateway.kind) ? ` --gateway-conf ${gateway.configPath}` : '';
  const lines = [
    `gateway_url: ${gateway.url}`,
    `backend_url: ${lab.backend.url}`,
    `gateway: ${describeGateway(lab, options)}`,
    ...logs,
    ...(gateway.configPath ? [`${gateway.configLabel ?? 'config'}: ${gateway.configPath}`] : []),
    ...gatewayNotes(lab, options).map((note) => `note: ${note}`),
    `backend: ${backend}`,
    `environment: ${environmentPath}`,
    '',
    `Try: curl ${gateway.url}/api/users`,
    `     debug502 run <collection> --environment ${environmentPath}`,
    ...(options.fault?.kind === 'keepalive-race'
      ? [
          `     debug502 watch --environment ${environmentPath} --rate 5/s --duration 1m --window 5s`,
          `     debug502 diagnose --environment ${environmentPath} --log ${gateway.errorLogPath}${conf}`,
        ]
      : []),
    'Press Ctrl-C to stop the lab.',
  ];
  return lines.join('\n') + '\n';
}

/** "idle keep-alive 125 s": what the backend does with a connection the gateway pools. */
function describeBackendIdle(ms: number): string {
  return ms === 0 ? 'keeps idle keep-alive connections until the gateway closes them' : `idle keep-alive ${ms / 1000} s`;
}

/**
 * "nginx (real nginx, pid 42), upstream 127.0.0.1:3000 (the lab backend), proxy_read_timeout 5000 ms, no max_conns":
 * the kind, where it forwards, and its settings in its own words (the profile's summarize).
 */
function describeGateway(lab: Lab, options: LabOptions): string {
  const { gateway, profile } = lab;
  const kind =
    gateway.kind !== 'builtin'
      ? `${gateway.kind} (real ${profile.name}, pid ${gateway.pid})`
      : options.gateway === 'builtin'
        ? 'builtin (debug502\'s built-in Node gateway, as asked)'
        : 'builtin (debug502\'s built-in Node gateway: nginx is not installed)';
  return [kind, `upstream ${lab.upstream} (${lab.upstreamIsBackend ? 'the lab backend' : '--upstream, not the lab backend'})`, ...gateway.summary].join(', ');
}

/** What the gateway could not apply as asked: its own notes, and --next-upstream where there is no proxy_next_upstream. */
function gatewayNotes(lab: Lab, options: LabOptions): string[] {
  const { profile } = lab;
  const notNginx = profile.words.retry !== 'proxy_next_upstream';
  const ignored = options.nextUpstream !== undefined && notNginx;
  // The lab turns nginx's retry off for the race; other gateways' retries cannot be turned off.
  const hidden = options.fault?.kind === 'keepalive-race' && notNginx && profile.pooling.retriesIdempotent;
  return [
    ...lab.gateway.notes,
    ...(ignored ? [`--next-upstream is nginx's proxy_next_upstream; ${profile.name} has no such setting, so it is not applied (${profile.pooling.retryNote})`] : []),
    ...(hidden ? [`${profile.name} hides the race from GETs: ${profile.pooling.retryNote}`] : []),
  ];
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
