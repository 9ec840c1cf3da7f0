import { LOG_FORMAT_LABEL, type CauseCode } from '../../model.js';
import { parseIsoTime, type LineClass, type LogFormatReader } from './line-class.js';

/**
 * AWS Application Load Balancer access log (the `.log.gz` files ALB writes to S3): space-separated,
 * quoted fields, new fields appended at the end over the years (ignored here). The fields used:
 * 0 type, 1 time, 4 target:port, 5 request_processing_time, 6 target_processing_time,
 * 7 response_processing_time, 8 elb_status_code, 9 target_status_code, 24 error_reason.
 * (docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html)
 */
const TYPES = new Set(['http', 'https', 'h2', 'grpcs', 'ws', 'wss']);
const START = /^(?:http|https|h2|grpcs|ws|wss) \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z \S+ \S+ \S+ /;
const FIELD = /"((?:[^"\\]|\\.)*)"|(\S+)/g;

/** The fields of one ALB line, quotes removed. Pure. */
export function splitAlbFields(line: string): string[] {
  const fields: string[] = [];
  for (const m of line.matchAll(FIELD)) fields.push(m[1] ?? m[2]);
  return fields;
}

/**
 * The cause of one ALB line, from the ALB troubleshooting guide's reading of the fields:
 * - 502, `error_reason` LambdaInvalidResponse → backend-invalid-response;
 * - 502, `target_status_code` 502 → backend-sent-502 (the target itself answered 502);
 * - 502, request/target/response processing times all -1 → backend-down (connect refused or reset);
 * - 502, no target status (`-`): the request was dispatched and the target closed the connection
 *   (RST or FIN) before answering → backend-closed-connection;
 * - 504 → backend-timeout; 503 without a target → no-live-upstreams (no registered healthy target);
 * - every other answered request → ok.
 */
export function classifyAlbLine(line: string): LineClass {
  const f = splitAlbFields(line);
  if (f.length < 12 || !TYPES.has(f[0])) return { kind: 'unknown' };
  const status = f[8];
  const method = /^([A-Z]+) /.exec(f[12] ?? '')?.[1];
  const when = { time: f[1], timeMs: parseIsoTime(f[1]), answer: true, ...(/^\d{3}$/.test(status) ? { status: Number(status) } : {}), ...(method ? { method } : {}) };
  const target = f[9];
  const upstream = f[4] !== '-' ? f[4] : undefined;
  const cause = (code: CauseCode): LineClass => ({ kind: 'cause', code, ...when, ...(upstream ? { upstream } : {}) });
  const times = [f[5], f[6], f[7]];
  if (status === '502') {
    if ((f[24] ?? '').startsWith('LambdaInvalidResponse')) return cause('backend-invalid-response');
    if (target === '502') return cause('backend-sent-502');
    if (times.every((t) => t === '-1')) return cause('backend-down');
    if (target === '-') return cause('backend-closed-connection');
    return { kind: 'unknown', ...when };
  }
  if (status === '504') return cause('backend-timeout');
  if (status === '503' && (f[4] === '-' || target === '-')) return cause('no-live-upstreams');
  return /^\d{3}$/.test(status) ? { kind: 'ok', ...when, ...(target === status ? { fromBackend: true } : {}) } : { kind: 'unknown', ...when };
}

export const ALB_FORMAT: LogFormatReader = {
  name: 'alb',
  label: LOG_FORMAT_LABEL.alb,
  gateway: 'alb',
  matches: (line) => START.test(line),
  classify: classifyAlbLine,
  shows: {
    'backend-closed-connection': '502 with target_status_code "-" (the target closed the connection)',
    'backend-down': '502 with every processing time -1 (connect refused or reset)',
    'backend-sent-502': '502 with target_status_code 502 (the target answered 502)',
    'backend-invalid-response': '502 with error_reason LambdaInvalidResponse',
    'backend-timeout': '504 (the target did not answer within the idle timeout)',
    'no-live-upstreams': '503 with no target (no healthy registered target)',
  },
};
