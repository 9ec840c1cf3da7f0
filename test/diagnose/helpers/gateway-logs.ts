/**
 * Log lines of the gateways people run, written from each format's documentation (AWS ALB access
 * log entries; Envoy's default access-log format and response flags; HAProxy's "option httplog"
 * and its termination states), for tests that must classify them line for line.
 */

/** An ALB access-log entry: the documented field order, then the newer fields, then one extra field ALB may append. */
export function albLine(o: { time: string; status: number; target?: string; targetStatus?: string; times?: [string, string, string]; errorReason?: string; path?: string }): string {
  const [req, tgt, res] = o.times ?? ['0.000', '0.002', '0.000'];
  const target = o.target ?? '10.0.1.17:8080';
  return [
    'https', o.time, 'app/prod-api/50dc6c495c0c9188', '203.0.113.7:52144', target, req, tgt, res,
    String(o.status), o.targetStatus ?? String(o.status), '312', '1024',
    `"GET https://api.example.com:443${o.path ?? '/v1/orders'} HTTP/1.1"`, '"Mozilla/5.0 (X11; Linux x86_64)"',
    'ECDHE-RSA-AES128-GCM-SHA256', 'TLSv1.2', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067',
    '"Root=1-58337262-36d228ad5d99923122bbe354"', '"api.example.com"', '"arn:aws:acm:us-east-1:123456789012:certificate/12345678"',
    '0', o.time, '"forward"', '"-"', `"${o.errorReason ?? '-'}"`, `"${target}"`, `"${o.targetStatus ?? String(o.status)}"`, '"-"', '"-"', 'TID_9f2c1e7a',
  ].join(' ');
}

/** Envoy's default format: `[START_TIME] "METHOD PATH PROTOCOL" CODE FLAGS RX TX DURATION UPSTREAM_TIME "XFF" "UA" "ID" "AUTHORITY" "UPSTREAM_HOST"`. */
export function envoyLine(o: { time: string; status: number; flags?: string; upstream?: string }): string {
  return `[${o.time}] "GET /api/v1/locations HTTP/1.1" ${o.status} ${o.flags ?? '-'} 0 91 12 ${o.flags ? '-' : '10'} "10.0.35.28" "curl/8.5.0" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "${o.upstream ?? 'tcp://10.0.2.1:80'}"`;
}

/** An Envoy JSON access-log entry (json_format with the usual field names). */
export function envoyJsonLine(o: { time: string; status: number; flags?: string }): string {
  return JSON.stringify({
    start_time: o.time, method: 'POST', path: '/api/v1/orders', protocol: 'HTTP/1.1', response_code: o.status,
    response_flags: o.flags ?? '-', bytes_received: 120, bytes_sent: 91, duration: 14, upstream_host: '10.0.2.1:80',
    x_forwarded_for: '10.0.35.28', user_agent: 'okhttp/4.12.0', request_id: '5b1f0a6e-2c7f-4e53-9d8e-1c2b3a4d5e6f', authority: 'orders',
  });
}

/** HAProxy httplog, with the syslog prefix rsyslog writes or without (log stdout / log-format to a file). */
export function haproxyLine(o: { time: string; status: number; state: string; server?: string; syslog?: boolean }): string {
  const body = `10.0.1.2:33317 [${o.time}] http-in api/${o.server ?? 'srv1'} 10/0/30/69/109 ${o.status} 2750 - - ${o.state} 1/1/1/1/0 0/0 {api.example.com} {} "GET /index.html HTTP/1.1"`;
  return o.syslog ? `Feb  6 12:14:14 lb1 haproxy[14389]: ${body}` : body;
}

/** `2026-11-25T06:MM:SS.123456Z` for minute `m` (0–59) and second `s` of one hour. */
export const isoAt = (m: number, s = 0) => `2026-11-25T06:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.123456Z`;
/** HAProxy's local accept date for the same moment in this machine's zone. */
export function haproxyAt(m: number, s = 0): string {
  const d = new Date(2026, 10, 25, 6, m, s, 655);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()];
  return `${String(d.getDate()).padStart(2, '0')}/${mon}/${d.getFullYear()}:${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}.655`;
}
