import { LOG_FORMAT_LABEL, type CauseCode } from '../../model.js';
import type { GroupedLogFormatReader, LineClass } from './line-class.js';

/**
 * `varnishlog -g request` (with or without -A): one block per client request — `*   << Request  >> 3`
 * and its records (`-   ReqMethod      GET`), then the backend requests it made (`**  << BeReq    >> 4`,
 * records `--  FetchError     …`). A block is one answered request: its RespStatus is what the
 * client got, its FetchError records say what failed behind it. Measured on Varnish 7.1.1
 * (test/fixtures/gateway-logs/varnish/; varnish-cache.org/docs/7.1/reference/vsl.html).
 */
const HEADER = /^\*+\s+<<\s+(\w+)\s+>>\s+\d+/;
const RECORD = /^-+\s+([A-Za-z_]+)\s*(.*)$/;

/**
 * FetchError words → cause (cache_backend.c, cache_fetch.c, cache_http1_fetch.c). `fail errno 0
 * (Success)` comes right after a refused connect: Varnish holds further connects off for
 * backend_local_error_holddown, so it is the same dead backend.
 */
const WORDS: ReadonlyArray<[RegExp, CauseCode]> = [
  [/: fail errno (?:111|0) /, 'backend-down'],
  [/: fail errno (?:113|101|112|110) /, 'backend-unreachable'],
  [/: busy$/, 'gateway-overflow'],
  [/no backend connection|unhealthy|[Nn]o healthy/, 'no-live-upstreams'],
  [/first byte timeout|between bytes timeout|[Tt]imed? ?out/, 'backend-timeout'],
  [/http format error|Received junk|HTC overflow|[Ii]nvalid/, 'backend-invalid-response'],
  [/errno 104|Connection reset/, 'connection-reset'],
  [/HTC eof|http first read error|EOF|closed/, 'backend-closed-connection'],
];

/** The cause a FetchError names, or undefined. Pure. */
export function causeOfFetchError(text: string): CauseCode | undefined {
  return WORDS.find(([pattern]) => pattern.test(text))?.[1];
}

interface Block {
  method?: string;
  status?: number;
  startMs?: number;
  fetchErrors: string[];
  backend?: string;
}

/**
 * One request block → its class: no FetchError → ok; a FetchError and a good answer → ok, retried
 * (Varnish's one retry on a recycled connection); a FetchError and a 5xx → the cause of the last
 * FetchError (the one that made the answer fail), `failed` when its words name none. Pure.
 */
export function classifyVarnishBlock(block: Block): LineClass {
  const when = {
    ...(block.startMs !== undefined ? { time: new Date(block.startMs).toISOString(), timeMs: block.startMs } : {}),
    ...(block.method ? { method: block.method } : {}),
    ...(block.status !== undefined ? { status: block.status } : {}),
    answer: true as const,
    text: `${block.method ?? '?'} → ${block.status ?? '?'}${block.fetchErrors.length > 0 ? `: FetchError ${block.fetchErrors.join('; FetchError ')}` : ''}`,
  };
  const last = block.fetchErrors.at(-1);
  // No FetchError: the status is the backend's own answer (Varnish passed it on).
  if (last === undefined) return { kind: 'ok', ...when, fromBackend: true };
  if (block.status !== undefined && block.status < 500) return { kind: 'ok', ...when, retriedAttempts: block.fetchErrors.length };
  const code = causeOfFetchError(last);
  return code ? { kind: 'cause', code, ...when, ...(block.backend ? { upstream: block.backend } : {}) } : { kind: 'failed', ...when };
}

/** Lines → blocks → classes, one block held at a time. */
function groupVarnishLines(): { add(line: string): LineClass[]; end(): LineClass[] } {
  let block: Block | undefined;
  const flush = (): LineClass[] => {
    const done = block;
    block = undefined;
    return done ? [classifyVarnishBlock(done)] : [];
  };
  return {
    add(line) {
      const header = HEADER.exec(line);
      if (header) {
        // A new client request closes the one before; its backend requests (BeReq) belong to it.
        if (header[1] === 'Request' || header[1] === 'Session') { const out = flush(); block = { fetchErrors: [] }; return out; }
        return [];
      }
      const record = RECORD.exec(line);
      if (!record || !block) return [];
      const [, tag, value] = record;
      if (tag === 'ReqMethod') block.method ??= value.trim();
      else if (tag === 'RespStatus') block.status = Number(value.trim());
      else if (tag === 'FetchError') block.fetchErrors.push(value.trim());
      else if (tag === 'BackendOpen' && !block.backend) block.backend = /\d+ \S+ (\S+ \d+)/.exec(value)?.[1]?.replace(' ', ':');
      else if (tag === 'Timestamp' && block.startMs === undefined) {
        const start = /^Start: (\d+\.\d+)/.exec(value.trim());
        if (start) block.startMs = Math.round(Number(start[1]) * 1000);
      }
      return [];
    },
    end: flush,
  };
}

export const VARNISHLOG_FORMAT: GroupedLogFormatReader = {
  name: 'varnishlog',
  label: LOG_FORMAT_LABEL.varnishlog,
  gateway: 'varnish',
  matches: (line) => HEADER.test(line) || RECORD.test(line),
  // Line by line a varnishlog says nothing on its own: the accumulator reads it through group().
  classify: () => ({ kind: 'ignored' }),
  group: groupVarnishLines,
  shows: {
    'backend-down': 'FetchError "backend …: fail errno 111 (Connection refused)"',
    'backend-unreachable': 'FetchError "fail errno 113 / 110"',
    'backend-timeout': 'FetchError "first byte timeout"',
    'backend-invalid-response': 'FetchError "http format error"',
    'backend-closed-connection': 'FetchError "HTC eof" (the backend closed the connection)',
    'connection-reset': 'FetchError with errno 104',
    'gateway-overflow': 'FetchError "backend …: busy" (.max_connections reached)',
    'no-live-upstreams': 'FetchError "no backend connection" (the backend is sick)',
  },
};
