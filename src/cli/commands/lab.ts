import { EXIT, InputError } from '../../errors.js';
import { displayPath } from '../../fs/display-path.js';
import { FAULT_SYNTAX, formatFault, parseFault } from '../../lab/fault.js';
import { DEFAULT_PROXY_READ_TIMEOUT_MS, NEXT_UPSTREAM_CHOICES, type NextUpstream } from '../../lab/gateway.js';
import { buildLabEnvironment, checkLabEnvironmentOutput, writeLabEnvironment } from '../../lab/lab-environment.js';
import { checkLabUpstream, GATEWAY_CHOICES, labGatewayPooling, startLab, UPSTREAM_HINT, type GatewayChoice, type Lab, type LabOptions } from '../../lab/lab.js';
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
  describe: 'Run a local backend with a fault of the guide behind a real nginx (or the built-in gateway), until Ctrl-C',
  builder: (yargs) =>
    yargs
      .option('capacity', { type: 'number', describe: 'Backend: most requests in flight; beyond it the socket is destroyed (default: no cap)' })
      .option('latency', { type: 'string', describe: 'Backend: delay before every answer, e.g. 50ms, 2s; a bare number is ms (default 0)' })
      .option('fault', { type: 'string', default: 'none', describe: `Backend fault: ${FAULT_SYNTAX}` })
      .option('gateway', { choices: GATEWAY_CHOICES, default: 'auto' as const, describe: 'auto: nginx when installed, else the built-in Node gateway' })
      .option('gateway-port', { type: 'number', describe: 'Gateway port on 127.0.0.1 (default: a free one)' })
      .option('backend-port', { type: 'number', describe: 'Backend port on 127.0.0.1 (default: a free one)' })
      .option('gateway-timeout', { type: 'string', describe: 'Gateway proxy_read_timeout, e.g. 5s (a bare number is ms); slower answers get 504 (default 5000)' })
      .option('max-conns', { type: 'number', describe: 'Gateway max_conns towards the backend; beyond it 502 "no live upstreams"' })
      .option('keepalive', { type: 'number', describe: 'Gateway: idle backend connections pooled, nginx "keepalive N" (default 0; 16 with --fault keepalive-race)' })
      .option('next-upstream', {
        choices: NEXT_UPSTREAM_CHOICES,
        describe: 'Gateway proxy_next_upstream (default "error timeout"; off with --fault keepalive-race, because nginx retries a GET once on a fresh connection and hides the race)',
      })
      .option('upstream', {
        type: 'string',
        describe: 'host:port the gateway forwards to instead of the lab backend (which still runs): a dead port, another port, or NAME.invalid for a DNS failure',
      })
      .example('$0 lab --capacity 8 --latency 50', 'a backend that holds 8 requests at once, behind nginx')
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
  ].join(', ');
  const lines = [
    `gateway_url: ${lab.gateway.url}`,
    `backend_url: ${lab.backend.url}`,
    `gateway: ${describeGateway(lab, options)}`,
    `error_log: ${lab.gateway.errorLogPath ?? '(none)'}`,
    ...(lab.gateway.configPath ? [`nginx_conf: ${lab.gateway.configPath}`] : []),
    `backend: ${backend}`,
    `environment: ${environmentPath}`,
    '',
    `Try: curl ${lab.gateway.url}/api/users`,
    `     debug502 run <collection> --environment ${environmentPath}`,
    ...(options.fault?.kind === 'keepalive-race'
      ? [
          `     debug502 watch --environment ${environmentPath} --rate 5/s --duration 1m --window 5s`,
          `     debug502 diagnose --environment ${environmentPath} --log ${lab.gateway.errorLogPath}${lab.gateway.configPath ? ` --nginx-conf ${lab.gateway.configPath}` : ''}`,
        ]
      : []),
    'Press Ctrl-C to stop the lab.',
  ];
  return lines.join('\n') + '\n';
}

/** "nginx (real nginx, pid 42), upstream 127.0.0.1:3000 (the lab backend), proxy_read_timeout 5000 ms, no max_conns". */
function describeGateway(lab: Lab, options: LabOptions): string {
  const kind =
    lab.gateway.kind === 'nginx'
      ? `nginx (real nginx, pid ${lab.gateway.pid})`
      : options.gateway === 'builtin'
        ? 'builtin (debug502\'s built-in Node gateway, as asked)'
        : 'builtin (debug502\'s built-in Node gateway: nginx is not installed)';
  // nginx resolves a name that does not resolve at start-up per request, outside an upstream block,
  // where max_conns has no place (see renderNginxConfig): say so rather than print a limit that is off.
  const perRequestName = lab.gateway.kind === 'nginx' && /\.invalid:\d+$/i.test(lab.upstream);
  const maxConns =
    options.maxConns === undefined ? 'no max_conns' : `max_conns ${options.maxConns}${perRequestName ? ' (not applied: nginx resolves the name per request)' : ''}`;
  const pooling = labGatewayPooling(options);
  return [
    kind,
    `upstream ${lab.upstream} (${lab.upstreamIsBackend ? 'the lab backend' : '--upstream, not the lab backend'})`,
    `proxy_read_timeout ${options.gatewayTimeoutMs ?? DEFAULT_PROXY_READ_TIMEOUT_MS} ms`,
    maxConns,
    // nginx's defaults (no pool, retries on) go unsaid, as before; a pool or `off` is worth a word.
    ...(pooling.keepalive > 0 ? [`keepalive ${pooling.keepalive} (pooled, keepalive_timeout 60s)`] : []),
    ...(pooling.nextUpstream === 'off'
      ? [`proxy_next_upstream off${options.fault?.kind === 'keepalive-race' ? ' (nginx\'s default would retry a GET once on a fresh connection and hide the race; --next-upstream "error timeout" shows that)' : ''}`]
      : []),
  ].join(', ');
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
