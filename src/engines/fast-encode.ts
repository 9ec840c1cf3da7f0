/**
 * The bytes of a fast-engine request, and the rules every byte keeps: those of Node's own client
 * (src/postman/http-syntax.ts), with the errors Node throws for a break — so a method, path or
 * header that would end a line or the head early (a second request smuggled into the connection)
 * is never written, and a request refused here fails with the code newman would give
 * (ERR_INVALID_HTTP_TOKEN, ERR_INVALID_CHAR, ERR_UNESCAPED_CHARACTERS).
 * Requests whose text is known before the run are refused earlier, as input (fast-requests.ts);
 * this is the check at each send, for what only a send knows: a drawn `{{$dynamic}}` value, a redirect.
 */
import { hasInvalidHeaderChar, hasInvalidPathChar, isHttpToken } from '../postman/http-syntax.js';

/** One request as it goes on the wire: origin (scheme, host, port) and path with query, flat headers, body. */
export interface Http1Request {
  target: { origin: string; path: string };
  method: string;
  /** Flat name, value, name, value… */
  headers: readonly string[];
  body?: string;
}

/**
 * Methods Node's client sends no `Content-Length: 0` for when they have no body
 * (`useChunkedEncodingByDefault` off, lib/_http_client.js); every other method gets one, as newman sends it.
 */
const NO_EMPTY_LENGTH = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** An error with the code and message Node's client throws for the same request. */
function refusal(code: string, message: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}

/**
 * The request's bytes: request line, Host (unless the headers have one), `connection: keep-alive`,
 * the headers, a Content-Length for a body (0 without one, but for the methods Node sends none
 * for), the body. Throws — with Node's code and words — for a method or header name that is no
 * token, a header value holding a character Node refuses, or a path with a space or control character.
 */
export function encodeRequest(request: Http1Request): Buffer {
  const { method } = request;
  if (!isHttpToken(method)) throw refusal('ERR_INVALID_HTTP_TOKEN', `Method must be a valid HTTP token [${JSON.stringify(method)}]`);
  if (hasInvalidPathChar(request.target.path)) throw refusal('ERR_UNESCAPED_CHARACTERS', 'Request path contains unescaped characters');
  let headers = '';
  let hasHost = false;
  for (let i = 0; i + 1 < request.headers.length; i += 2) {
    const [name, value] = [request.headers[i], request.headers[i + 1]];
    if (!isHttpToken(name)) throw refusal('ERR_INVALID_HTTP_TOKEN', `Header name must be a valid HTTP token [${JSON.stringify(name)}]`);
    if (hasInvalidHeaderChar(value)) throw refusal('ERR_INVALID_CHAR', `Invalid character in header content [${JSON.stringify(name)}]`);
    if (name.length === 4 && name.toLowerCase() === 'host') hasHost = true;
    headers += `${name}: ${value}\r\n`;
  }
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  let head = `${method} ${request.target.path} HTTP/1.1\r\n${hasHost ? '' : `host: ${new URL(request.target.origin).host}\r\n`}${headers}connection: keep-alive\r\n`;
  if (body) head += `content-length: ${body.length}\r\n`;
  else if (!NO_EMPTY_LENGTH.has(method)) head += 'content-length: 0\r\n';
  // Every character is at most U+00FF now (the checks above): latin1 writes each as its one byte.
  const headBytes = Buffer.from(`${head}\r\n`, 'latin1');
  return body && body.length > 0 ? Buffer.concat([headBytes, body]) : headBytes;
}
