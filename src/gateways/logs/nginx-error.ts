import { LOG_FORMAT_LABEL } from '../../model.js';
import type { LogFormatReader } from './line-class.js';
import { classifyLine, NGINX_ERROR_LINE } from './nginx-error-line.js';

/** nginx's error log (`error_log`): one line per failed upstream attempt, the rule table in nginx-error-rules.ts. */
export const NGINX_FORMAT: LogFormatReader = {
  name: 'nginx',
  label: LOG_FORMAT_LABEL.nginx,
  gateway: 'nginx',
  matches: (line) => NGINX_ERROR_LINE.test(line),
  classify: classifyLine,
  shows: {
    'backend-down': '"connect() failed (111: Connection refused)"',
    'backend-closed-connection': '"upstream prematurely closed connection"',
    'backend-timeout': '"upstream timed out (110: Connection timed out)"',
    'no-live-upstreams': '"no live upstreams"',
    'backend-invalid-response': '"upstream sent invalid header / no valid HTTP header"',
    'backend-unresolvable': '"could not be resolved" / "host not found in upstream"',
    'connection-reset': '"(104: Connection reset by peer)" from upstream',
    'backend-unreachable': '"(113: No route to host)" / "(101: Network is unreachable)"',
    'tls-problem': '"SSL_do_handshake() failed" / certificate errors',
    'gateway-misconfigured': 'gateway setting errors',
    'service-unavailable': '"limiting requests" / "limiting connections"',
  },
};
