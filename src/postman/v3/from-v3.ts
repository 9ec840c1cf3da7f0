/**
 * One v3 entity (a parsed `definition.yaml` or `*.request.yaml`) as its v2.1 counterpart. Pure.
 * Every problem is pushed to `problems` as `field: what is wrong`, so a caller reports all of a
 * collection's problems at once, each prefixed with its file.
 */
import postmanCollection from 'postman-collection';
import { AUTH_TYPES, GRAPHQL_REQUEST_KIND, HTTP_REQUEST_KIND, OTHER_REQUEST_KINDS, RAW_BODY_TYPES, SCRIPT_TYPE, type V2Listen } from './v3-format.js';

const { Url } = postmanCollection;

type Json = Record<string, unknown>;

/** The v2.1 parts a collection's or folder's definition gives. */
export interface V2Scope {
  name?: string;
  id?: string;
  order?: number;
  description?: string;
  variable?: Json[];
  auth?: Json;
  event?: Json[];
}

/** A request file as a v2.1 item, with its sibling order. */
export interface V2Request {
  item: Json;
  order?: number;
}

/** A parsed `definition.yaml`: `$kind: collection` and what it may hold. */
export function convertDefinition(entity: unknown, problems: string[]): V2Scope {
  if (!isObject(entity)) {
    problems.push(`must be a YAML mapping with "$kind: collection" (found ${describe(entity)})`);
    return {};
  }
  if (entity.$kind !== 'collection') problems.push(`$kind: must be "collection" in a definition.yaml (found ${describe(entity.$kind)})`);
  return {
    name: optionalString(entity, 'name', problems),
    id: optionalString(entity, 'id', problems),
    order: optionalOrder(entity, problems),
    description: optionalString(entity, 'description', problems),
    variable: convertKeyValues(entity.variables, 'variables', problems),
    auth: convertScopeAuth(entity.auth, problems),
    event: convertScripts(entity.scripts, problems),
  };
}

/** A parsed `*.request.yaml` (`$kind: http-request` or `graphql-request`) as a v2.1 request item named `name` unless it says otherwise. */
export function convertRequest(entity: unknown, name: string, id: string, problems: string[]): V2Request {
  if (!isObject(entity)) {
    problems.push(`must be a YAML mapping with "$kind: http-request" (found ${describe(entity)})`);
    return { item: { name } };
  }
  const kind = entity.$kind;
  if (kind !== HTTP_REQUEST_KIND && kind !== GRAPHQL_REQUEST_KIND) {
    problems.push(typeof kind === 'string' && OTHER_REQUEST_KINDS.includes(kind)
      ? `$kind: "${kind}" requests are not HTTP: newman (and so debug502) sends only http-request and graphql-request`
      : `$kind: must be "http-request" (or "graphql-request") in a request file (found ${describe(kind)})`);
    return { item: { name } };
  }
  let raw = '';
  if (typeof entity.url === 'string' && entity.url.trim() !== '') raw = entity.url.trim();
  else problems.push(`url: ${entity.url === undefined ? 'missing' : `must be a non-empty string (found ${describe(entity.url)})`}`);
  const method = entity.method === undefined ? (kind === GRAPHQL_REQUEST_KIND ? 'POST' : 'GET') : optionalString(entity, 'method', problems)?.toUpperCase() ?? 'GET';
  const url: Json = { ...(raw === '' ? { raw } : (Url.parse(raw) as unknown as Json)) };
  const query = convertKeyValues(entity.queryParams, 'queryParams', problems);
  if (query) url.query = query;
  const variable = convertKeyValues(entity.pathVariables, 'pathVariables', problems);
  if (variable) url.variable = variable;
  const body = kind === GRAPHQL_REQUEST_KIND ? convertGraphql(entity, problems) : convertBody(entity.body, problems);
  const header = convertKeyValues(entity.headers, 'headers', problems);
  const auth = entity.auth === undefined ? undefined : convertAuth(entity.auth, 'auth', problems);
  const description = optionalString(entity, 'description', problems);
  const event = convertScripts(entity.scripts, problems);
  if (entity.settings !== undefined && !isObject(entity.settings)) problems.push(`settings: must be a mapping (found ${describe(entity.settings)})`);
  const request: Json = { method, ...(header ? { header } : {}), url, ...(body ? { body } : {}), ...(auth ? { auth } : {}), ...(description ? { description } : {}) };
  return {
    order: optionalOrder(entity, problems),
    item: {
      id: optionalString(entity, 'id', problems) ?? id,
      name: optionalString(entity, 'name', problems) ?? name,
      request,
      ...(event ? { event } : {}),
      ...(isObject(entity.settings) ? { protocolProfileBehavior: entity.settings } : {}),
    },
  };
}

/** `{ key: value }` or `[{ key, value, disabled, description }]` → v2.1's list. */
function convertKeyValues(value: unknown, field: string, problems: string[]): Json[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (isObject(value)) return Object.entries(value).map(([key, v]) => ({ key, value: scalarText(v, `${field}.${key}`, problems) }));
  if (!Array.isArray(value)) {
    problems.push(`${field}: must be a mapping of key: value or a list of { key, value } (found ${describe(value)})`);
    return undefined;
  }
  return value.flatMap((entry, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(entry) || typeof entry.key !== 'string' || entry.key === '') {
      problems.push(`${at}.key: must be a non-empty string`);
      return [];
    }
    if (entry.disabled !== undefined && typeof entry.disabled !== 'boolean') problems.push(`${at}.disabled: must be true or false`);
    const description = typeof entry.description === 'string' ? entry.description : undefined;
    return [{ key: entry.key, value: scalarText(entry.value, `${at}.value`, problems), ...(entry.disabled === true ? { disabled: true } : {}), ...(description ? { description } : {}) }];
  });
}

function convertBody(body: unknown, problems: string[]): Json | undefined {
  if (body === undefined || body === null) return undefined;
  if (!isObject(body) || typeof body.type !== 'string') {
    problems.push('body.type: missing (a body is { type: json|text|xml|html|javascript|urlencoded|formdata|file|none, content })');
    return undefined;
  }
  const { type, content } = body;
  const rawLanguage = Object.entries(RAW_BODY_TYPES).find(([, v3Type]) => v3Type === type)?.[0];
  if (rawLanguage) {
    const raw = typeof content === 'string' ? content : content === undefined || content === null ? '' : type === 'json' ? JSON.stringify(content, null, 2) : undefined;
    if (raw === undefined) problems.push(`body.content: must be text for a ${type} body (found ${describe(content)})`);
    return { mode: 'raw', raw: raw ?? '', options: { raw: { language: rawLanguage } } };
  }
  switch (type) {
    case 'none':
      return undefined;
    case 'urlencoded':
      return { mode: 'urlencoded', urlencoded: convertKeyValues(content ?? [], 'body.content', problems) ?? [] };
    case 'formdata':
      return { mode: 'formdata', formdata: convertFormData(content, problems) };
    case 'graphql':
      return convertGraphql(isObject(content) ? content : {}, problems, 'body.content.');
    case 'file': {
      // `content: { src: PATH }`, as `migrate` writes; a bare path is taken too.
      const src = isObject(content) ? content.src : content;
      if (typeof src !== 'string') problems.push(`body.content.src: must be the path of the file to send (found ${describe(src)})`);
      return { mode: 'file', file: { src: typeof src === 'string' ? src : '' } };
    }
    default:
      problems.push(`body.type: "${type}" is not a body type debug502 knows (json, text, xml, html, javascript, urlencoded, formdata, file, none)`);
      return undefined;
  }
}

function convertFormData(content: unknown, problems: string[]): Json[] {
  if (content === undefined || content === null) return [];
  if (!Array.isArray(content)) {
    problems.push(`body.content: must be a list of { key, value } or { type: file, key, src } for a formdata body (found ${describe(content)})`);
    return [];
  }
  return content.flatMap((part, i): Json[] => {
    if (!isObject(part) || typeof part.key !== 'string' || part.key === '') {
      problems.push(`body.content[${i}].key: must be a non-empty string`);
      return [];
    }
    const disabled = part.disabled === true ? { disabled: true } : {};
    if (part.type === 'file') return [{ key: part.key, type: 'file', src: part.src ?? part.value ?? '', ...disabled }];
    return [{ key: part.key, type: 'text', value: scalarText(part.value, `body.content[${i}].value`, problems), ...disabled }];
  });
}

function convertGraphql(source: Json, problems: string[], prefix = ''): Json {
  if (typeof source.query !== 'string') problems.push(`${prefix}query: must be the GraphQL query text (found ${describe(source.query)})`);
  const variables = typeof source.variables === 'string' ? source.variables : source.variables === undefined ? '' : JSON.stringify(source.variables, null, 2);
  return { mode: 'graphql', graphql: { query: typeof source.query === 'string' ? source.query : '', variables } };
}

/** `{ type, credentials: { key: value } }` → v2.1 `{ type, [type]: [{ key, value, type }] }`; `inherit` → undefined. */
function convertAuth(auth: unknown, field: string, problems: string[]): Json | undefined {
  if (!isObject(auth) || typeof auth.type !== 'string') {
    problems.push(`${field}.type: missing (auth is { type: ${AUTH_TYPES.join('|')}, credentials: { … } })`);
    return undefined;
  }
  if (auth.type === 'inherit') return undefined;
  if (!AUTH_TYPES.includes(auth.type)) {
    problems.push(`${field}.type: "${auth.type}" is not an auth type newman can apply (${AUTH_TYPES.join(', ')})`);
    return undefined;
  }
  if (auth.type === 'noauth') return { type: 'noauth' };
  if (auth.credentials !== undefined && !isObject(auth.credentials)) {
    problems.push(`${field}.credentials: must be a mapping of name: value (found ${describe(auth.credentials)})`);
    return { type: auth.type };
  }
  const credentials = Object.entries(auth.credentials ?? {}).map(([key, value]) => ({ key, value, type: typeof value === 'string' ? 'string' : 'any' }));
  return { type: auth.type, [auth.type]: credentials };
}

/** Collections and folders hold a list of auth entries (Postman writes one); a single mapping is taken too. */
function convertScopeAuth(auth: unknown, problems: string[]): Json | undefined {
  if (auth === undefined || auth === null) return undefined;
  if (!Array.isArray(auth)) return convertAuth(auth, 'auth', problems);
  if (auth.length === 0) return undefined;
  if (auth.length > 1) problems.push(`auth: ${auth.length} entries; newman applies one auth per collection or folder, so keep one`);
  return convertAuth(auth[0], 'auth[0]', problems);
}

/** `[{ type: beforeRequest|afterResponse (or http:…), code, language }]` → v2.1 events (prerequest, test). */
function convertScripts(scripts: unknown, problems: string[]): Json[] | undefined {
  if (scripts === undefined || scripts === null) return undefined;
  if (!Array.isArray(scripts)) {
    problems.push(`scripts: must be a list of { type: beforeRequest|afterResponse, code } (found ${describe(scripts)})`);
    return undefined;
  }
  const events = scripts.flatMap((script, i) => {
    const listen = isObject(script) ? listenOf(script.type) : undefined;
    if (!isObject(script) || !listen) {
      problems.push(`scripts[${i}].type: must be beforeRequest or afterResponse (found ${describe(isObject(script) ? script.type : script)})`);
      return [];
    }
    if (typeof script.code !== 'string') {
      problems.push(`scripts[${i}].code: must be the script's text (found ${describe(script.code)})`);
      return [];
    }
    const language = typeof script.language === 'string' ? script.language : 'text/javascript';
    return [{ listen, script: { type: language, exec: script.code.split('\n') } }];
  });
  return events.length > 0 ? events : undefined;
}

function listenOf(type: unknown): V2Listen | undefined {
  return (Object.keys(SCRIPT_TYPE) as V2Listen[]).find((listen) => type === SCRIPT_TYPE[listen].request || type === SCRIPT_TYPE[listen].scope);
}

function scalarText(value: unknown, field: string, problems: string[]): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  problems.push(`${field}: must be text, a number or true/false (found ${describe(value)})`);
  return '';
}

function optionalString(entity: Json, field: string, problems: string[]): string | undefined {
  const value = entity[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && field === 'id') return String(value);
  problems.push(`${field}: must be text (found ${describe(value)})`);
  return undefined;
}

function optionalOrder(entity: Json, problems: string[]): number | undefined {
  if (entity.order === undefined || entity.order === null) return undefined;
  if (typeof entity.order === 'number' && Number.isFinite(entity.order)) return entity.order;
  problems.push(`order: must be a number (found ${describe(entity.order)})`);
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : String(value);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
