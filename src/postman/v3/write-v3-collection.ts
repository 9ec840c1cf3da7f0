import { Document } from 'yaml';
import { stableUuid } from '../../generate/stable-id.js';
import {
  COLLECTION_KIND, DEFINITION_DIR, DEFINITION_FILE, GRAPHQL_REQUEST_KIND, HTTP_REQUEST_KIND, ORDER_STEP, RAW_BODY_TYPES,
  REQUEST_SUFFIX, SCRIPT_TYPE, toFileSafeName, uniqueFileNames, type V2Listen, type V3File,
} from './v3-format.js';

type Json = Record<string, unknown>;

/** A v2.x collection as JSON: the generator's own output or a loaded PostmanCollection. */
export interface V2CollectionJson {
  info: { name?: unknown; [key: string]: unknown };
  item: unknown[];
  [key: string]: unknown;
}

/** The directory name a collection gets under `postman/collections/`: its name, made file-safe. */
export function v3CollectionDirName(collection: Pick<V2CollectionJson, 'info'>): string {
  return toFileSafeName(String(collection.info.name ?? 'collection'));
}

/**
 * A Postman v2.1 collection as the files of a v3 collection directory (paths relative to it), in a
 * stable order: the collection's `.resources/definition.yaml`, then every folder and request depth
 * first. Pure and deterministic — the same collection gives the same bytes: ids are kept from the
 * collection (auth ids, which v2.1 has not, derive from the collection id and the item's path), and
 * `order` follows the v2.1 item order. Scripts become block literals, so they read as code in a diff.
 */
export function writeV3Collection(collection: V2CollectionJson): V3File[] {
  const files: V3File[] = [];
  const rootId = String(collection.info._postman_id ?? collection.info.id ?? stableUuid(`debug502 v3 ${collection.info.name}`));
  const authId = (path: string[]) => stableUuid(['debug502 v3 auth', rootId, ...path].join('\u0000'));
  files.push(yamlFile(`${DEFINITION_DIR}/${DEFINITION_FILE}`, {
    $kind: COLLECTION_KIND,
    id: rootId,
    name: collection.info.name,
    description: descriptionText(collection.info.description),
    variables: toKeyValues(collection.variable, 'variables'),
    auth: toScopeAuth(collection.auth, authId([])),
    scripts: toScripts(collection.event, 'scope'),
  }));

  const visit = (items: unknown[], dir: string, path: string[]) => {
    const records = items.filter(isObject);
    const fileNames = uniqueFileNames(records.map((item) => String(item.name ?? '')));
    records.forEach((item, index) => {
      const order = (index + 1) * ORDER_STEP;
      const name = String(item.name ?? '');
      if (Array.isArray(item.item)) {
        const folderDir = `${dir}${fileNames[index]}/`;
        files.push(yamlFile(`${folderDir}${DEFINITION_DIR}/${DEFINITION_FILE}`, {
          $kind: COLLECTION_KIND,
          id: item.id,
          name: fileNames[index] === name ? undefined : name,
          description: descriptionText(item.description),
          auth: toScopeAuth(item.auth, authId([...path, name])),
          scripts: toScripts(item.event, 'scope'),
          order,
        }));
        visit(item.item, folderDir, [...path, name]);
      } else {
        files.push(yamlFile(`${dir}${fileNames[index]}${REQUEST_SUFFIX}`, {
          ...toRequest(item, fileNames[index] === name ? undefined : name),
          order,
        }));
      }
    });
  };
  visit(collection.item, '', []);
  return files;
}

/** One request item of v2.1 as a v3 request entity (without `order`). */
function toRequest(item: Json, name: string | undefined): Json {
  const request = isObject(item.request) ? item.request : { url: item.request };
  const url = isObject(request.url) ? request.url : { raw: request.url };
  const body = isObject(request.body) ? request.body : undefined;
  const common = { id: item.id, name, description: descriptionText(request.description ?? item.description) };
  if (body?.mode === 'graphql' && isObject(body.graphql)) {
    return { $kind: GRAPHQL_REQUEST_KIND, ...common, url: rawUrl(url), query: body.graphql.query, variables: body.graphql.variables, auth: toRequestAuth(request.auth), scripts: toScripts(item.event, 'request') };
  }
  return {
    $kind: HTTP_REQUEST_KIND,
    ...common,
    url: rawUrl(url),
    method: String(request.method ?? 'GET').toUpperCase(),
    headers: toKeyValues(request.header, 'headers'),
    queryParams: toKeyValues(url.query, 'queryParams'),
    pathVariables: toKeyValues(url.variable, 'pathVariables'),
    body: body ? toBody(body) : undefined,
    auth: toRequestAuth(request.auth),
    scripts: toScripts(item.event, 'request'),
    settings: isObject(item.protocolProfileBehavior) && Object.keys(item.protocolProfileBehavior).length > 0 ? item.protocolProfileBehavior : undefined,
  };
}

/** `url.raw`, or the URL rebuilt from its parts when an exporter left `raw` out. */
function rawUrl(url: Json): string {
  if (typeof url.raw === 'string') return url.raw;
  const join = (part: unknown, sep: string) => (Array.isArray(part) ? part.map((p) => (isObject(p) ? p.value : p)).join(sep) : String(part ?? ''));
  const host = join(url.host, '.');
  const port = url.port === undefined ? '' : `:${url.port}`;
  const path = url.path === undefined ? '' : `/${join(url.path, '/')}`;
  const query = Array.isArray(url.query) ? url.query.filter(isObject).map((q) => `${q.key}${q.value === undefined || q.value === null ? '' : `=${q.value}`}`).join('&') : '';
  return `${url.protocol ? `${url.protocol}://` : ''}${host}${port}${path}${query ? `?${query}` : ''}`;
}

/**
 * v2.1 `[{ key, value, disabled, description }]` as v3: a plain `key: value` map when every entry
 * is enabled, undescribed and its key unique (what `migrate` writes); the list form otherwise.
 */
function toKeyValues(list: unknown, what: 'headers' | 'queryParams' | 'pathVariables' | 'variables'): unknown {
  if (!Array.isArray(list)) return undefined;
  const entries = list.filter(isObject).filter((e) => typeof e.key === 'string' && e.key !== '');
  if (entries.length === 0) return undefined;
  const value = (e: Json) => (e.value === undefined || e.value === null ? '' : typeof e.value === 'string' ? e.value : what === 'variables' ? String(e.value) : e.value);
  const plain = entries.every((e) => !e.disabled && e.description === undefined && e.type !== 'secret')
    && new Set(entries.map((e) => e.key)).size === entries.length;
  if (plain) return Object.fromEntries(entries.map((e) => [e.key, value(e)]));
  return entries.map((e) => ({
    key: e.key,
    value: value(e),
    description: descriptionText(e.description),
    disabled: e.disabled === true ? true : undefined,
  }));
}

function toBody(body: Json): Json | undefined {
  switch (body.mode) {
    case 'raw': {
      const language = isObject(body.options) && isObject(body.options.raw) ? String(body.options.raw.language ?? 'text') : 'text';
      return { type: RAW_BODY_TYPES[language] ?? 'text', content: String(body.raw ?? '') };
    }
    case 'urlencoded':
    case 'formdata':
      return { type: body.mode, content: (Array.isArray(body[body.mode]) ? (body[body.mode] as unknown[]) : []).filter(isObject).map((p) => ({
        type: body.mode === 'formdata' ? (p.type === 'file' ? 'file' : 'text') : undefined,
        key: p.key,
        value: p.type === 'file' ? undefined : p.value ?? '',
        src: p.type === 'file' ? p.src : undefined,
        description: descriptionText(p.description),
        disabled: p.disabled === true ? true : undefined,
      })) };
    case 'file':
      // What `migrate` writes, and lint accepts (`binary` it refuses).
      return isObject(body.file) && typeof body.file.src === 'string' ? { type: 'file', content: { src: body.file.src } } : undefined;
    default:
      return undefined;
  }
}

/** v2.1 auth `{ type, [type]: [{ key, value }] }` → `{ type, credentials: { key: value } }`. */
function toAuthEntity(auth: unknown): Json | undefined {
  if (!isObject(auth) || typeof auth.type !== 'string' || auth.type === 'inherit') return undefined;
  const list = Array.isArray(auth[auth.type]) ? (auth[auth.type] as unknown[]).filter(isObject) : [];
  const credentials = Object.fromEntries(list.filter((c) => typeof c.key === 'string').map((c) => [c.key, c.value ?? '']));
  return { type: auth.type, credentials: Object.keys(credentials).length > 0 ? credentials : undefined };
}

function toRequestAuth(auth: unknown): Json | undefined {
  return toAuthEntity(auth);
}

/** Collections and folders hold a list of named auth entries with ids (one, for v2.1). */
function toScopeAuth(auth: unknown, id: string): Json[] | undefined {
  const entity = toAuthEntity(auth);
  return entity ? [{ id, type: entity.type, name: `${entity.type} auth`, credentials: entity.credentials }] : undefined;
}

function toScripts(events: unknown, level: 'request' | 'scope'): Json[] | undefined {
  if (!Array.isArray(events)) return undefined;
  const scripts = events.filter(isObject).flatMap((event) => {
    const listen = event.listen as V2Listen;
    if (!(listen in SCRIPT_TYPE) || !isObject(event.script)) return [];
    const exec = event.script.exec;
    const code = Array.isArray(exec) ? exec.join('\n') : String(exec ?? '');
    if (code.trim() === '') return [];
    return [{ type: SCRIPT_TYPE[listen][level], code, language: String(event.script.type ?? 'text/javascript') }];
  });
  return scripts.length > 0 ? scripts : undefined;
}

function descriptionText(description: unknown): string | undefined {
  const text = isObject(description) ? description.content : description;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

/**
 * One YAML file: keys whose value is undefined are left out, lines are never folded (a URL or a
 * script line stays whole) and multi-line strings are block literals.
 */
function yamlFile(path: string, entity: Json): V3File {
  const document = new Document(dropUndefined(entity));
  return { path, text: document.toString({ lineWidth: 0, blockQuote: 'literal' }) };
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, dropUndefined(v)]));
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
