/**
 * A request body as postman-runtime builds it (lib/requester/core-body-builder.js), reduced to
 * text: raw (Content-Type from its language), urlencoded (RFC 3986, as postman-request encodes
 * it), form-data text fields (multipart with a boundary derived from the request, so the same
 * collection gives the same bytes) and GraphQL (the JSON document runtime sends). File fields and
 * file bodies are only named: their bytes live on the user's disk, not in the collection.
 */
import { createHash } from 'node:crypto';
import type { ResolveText } from './variables.js';

export type BodyMode = 'raw' | 'urlencoded' | 'formdata' | 'graphql';

/** A body, as plain data. Text may hold `{{$dynamic}}` variables (see RequestDescription.dynamic). */
export interface RequestBody {
  mode: BodyMode;
  /** Sent when the request has no Content-Type header of its own. */
  contentType: string;
  /** What goes on the wire, dynamic variables not yet drawn. */
  text: string;
  /** urlencoded and formdata: the fields, so a sender can draw dynamic variables, then encode. */
  fields?: [string, string][];
}

/** postman-runtime's Content-Type for a raw body of each language. */
const RAW_CONTENT_TYPE: Record<string, string> = {
  html: 'text/html', text: 'text/plain', json: 'application/json', javascript: 'application/javascript', xml: 'application/xml',
};

interface Field { key?: string; value?: unknown; disabled?: boolean; type?: string; contentType?: string; src?: unknown }

/**
 * The body of a request's JSON (`request.body`), its variables resolved with `resolve`; undefined
 * when there is none (absent, disabled, empty); `{ unsupported }` naming what cannot be sent.
 * `seed` (e.g. the item id) makes the multipart boundary.
 */
export function describeBody(body: unknown, resolve: ResolveText, seed: string): RequestBody | { unsupported: string } | undefined {
  const b = body as { mode?: string; disabled?: boolean; raw?: unknown; urlencoded?: Field[]; formdata?: Field[]; graphql?: Record<string, unknown>; options?: { raw?: { language?: string } } } | undefined;
  if (!b || b.disabled || !b.mode) return undefined;
  const text = (value: unknown) => resolve(value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value)).text;
  switch (b.mode) {
    case 'raw': {
      if (b.raw === undefined || b.raw === '') return undefined;
      const language = b.options?.raw?.language ?? 'text';
      return { mode: 'raw', contentType: RAW_CONTENT_TYPE[language] ?? RAW_CONTENT_TYPE.text, text: text(b.raw) };
    }
    case 'urlencoded': {
      const fields = enabled(b.urlencoded).map((f): [string, string] => [text(f.key), text(f.value)]);
      if (fields.length === 0) return undefined;
      return { mode: 'urlencoded', contentType: 'application/x-www-form-urlencoded', text: encodeForm(fields), fields };
    }
    case 'formdata': {
      const all = enabled(b.formdata);
      const file = all.find((f) => f.type === 'file');
      if (file) return { unsupported: `its form-data field "${file.key ?? ''}" is a file` };
      if (all.length === 0) return undefined;
      const fields = all.map((f): [string, string] => [text(f.key), text(f.value)]);
      const boundary = `--------------------------${createHash('sha256').update(`debug502 ${seed}`).digest('hex').slice(0, 24)}`;
      return { mode: 'formdata', contentType: `multipart/form-data; boundary=${boundary}`, text: encodeMultipart(fields, boundary, all.map((f) => f.contentType)), fields };
    }
    case 'graphql': {
      const g = b.graphql ?? {};
      const parts: string[] = [];
      if (typeof g.query === 'string') parts.push(`"query":${JSON.stringify(text(g.query))}`);
      if (typeof g.operationName === 'string') parts.push(`"operationName":${JSON.stringify(text(g.operationName))}`);
      if (typeof g.variables === 'string' && g.variables !== '') parts.push(`"variables":${text(g.variables)}`);
      else if (g.variables !== undefined && typeof g.variables !== 'string') parts.push(`"variables":${text(JSON.stringify(g.variables))}`);
      return { mode: 'graphql', contentType: 'application/json', text: `{${parts.join(',')}}` };
    }
    case 'file':
      // No file named (a converted spec's binary upload): postman-runtime sends no body either.
      if (!(b as { file?: { src?: unknown; content?: unknown } }).file?.src && !(b as { file?: { content?: unknown } }).file?.content) return undefined;
      return { unsupported: 'its body is a file on disk' };
    default:
      return { unsupported: `its body mode "${b.mode}" (${b.mode === 'file' ? 'a file on disk' : 'unknown'}) cannot be sent from the collection alone` };
  }
}

function enabled(fields: Field[] | undefined): Field[] {
  return (Array.isArray(fields) ? fields : []).filter((f) => f && !f.disabled && (f.key ?? '') !== '');
}

/** As postman-request's `form` (qs) encodes: RFC 3986, so `!'()*` are escaped too. */
export function encodeForm(pairs: readonly [string, string][]): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&');
}

/** multipart/form-data text fields, as the form-data module writes them (CRLF, one part per field). */
export function encodeMultipart(fields: readonly [string, string][], boundary: string, contentTypes: readonly (string | undefined)[] = []): string {
  const parts = fields.map(([name, value], i) => {
    const type = contentTypes[i] ? `\r\nContent-Type: ${contentTypes[i]}` : '';
    return `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/"/g, '%22')}"${type}\r\n\r\n${value}\r\n`;
  });
  return `${parts.join('')}--${boundary}--\r\n`;
}

/** The multipart boundary of a formdata body's Content-Type. */
export function multipartBoundary(contentType: string): string {
  return /boundary=(.+)$/.exec(contentType)?.[1] ?? '';
}
