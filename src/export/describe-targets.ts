/**
 * The requests a load-test export sends, per target, as plain data: the fast engine's prepared
 * requests (the postman room's request descriptions: same method, URL, headers and body bytes),
 * with every secret cut out into a named part that the generated script reads from the OS
 * environment at run time, and every dynamic variable (`{{$guid}}`…) into a part the script draws
 * per request. Nothing secret survives in the parts.
 *
 * Which texts are secret is the postman room's findSecrets (the project's one secret finder):
 * secret variables are replaced by markers before the requests are resolved (so they survive URL
 * encoding and land as `{ secret: name }` parts), then every secret value still written literally
 * (a literal Authorization header, a token typed into an auth helper) is cut out by value.
 */
import { InputError } from '../errors.js';
import type { RampTarget } from '../model.js';
import { ENGINE_HINT, prepareRequests, withSystemHeaders, type PrepareInput, type PreparedRequest, type PreparedRun } from '../engines/fast-requests.js';
import type { RequestBody } from '../postman/body.js';
import { applyEnvVars, variableValue, type PostmanCollection, type PostmanEnvironment } from '../postman/load.js';
import { findSecrets, SECRET_HEADERS } from '../postman/secret-values.js';
import { findTargetFolder } from '../ramp/folder.js';
import { secretEnvNames } from './secret-env-names.js';

/** A piece of text: literal, a secret read at run time, or a dynamic variable drawn per request. */
export type Part = string | { secret: string } | { dynamic: string };

export interface ExportRequest {
  /** The collection item's name. */
  item: string;
  /** The name Locust's statistics and k6's tags use: `[gateway] List users`. */
  label: string;
  method: string;
  url: Part[];
  /** In order; a repeated header stays repeated. */
  headers: [Part[], Part[]][];
  /** A raw body, or urlencoded pairs (encoded by the script at run time). */
  body?: { raw: Part[] } | { form: [Part[], Part[]][] };
}

export interface ExportTarget {
  target: RampTarget;
  /** The origin of the first request with a fixed host, e.g. `http://127.0.0.1:8080`. */
  host: string;
  requests: ExportRequest[];
}

export interface ExportSecret {
  /** The variable's name (or `authorization`, `authorization_2`… for a credential written literally). */
  name: string;
  /** The OS environment variable the script reads it from. */
  envVar: string;
  /** What it is, for the script's header comment (no user text): a variable, or a literal credential (a whole Authorization header value, or a literal auth field). */
  kind: 'variable' | 'header';
}

export interface ExportSuite {
  targets: ExportTarget[];
  secrets: ExportSecret[];
  maxResponseTimeMs: number;
}

export interface DescribeTargetsInput {
  collection: PostmanCollection;
  environment?: PostmanEnvironment;
  envVars?: Record<string, string>;
  targets: readonly RampTarget[];
  /** A folder inside each target's folder (newman's `--folder`), when not the whole folder. */
  folder?: string;
}

/** The dynamic variables the generated scripts can draw (Postman's meaning; other ones are refused). */
export const SUPPORTED_DYNAMIC = ['$guid', '$randomUUID', '$timestamp', '$isoTimestamp', '$randomInt'] as const;
const DYNAMIC_TOKEN = /\{\{(\$[^{}]*?)\}\}/g;

/**
 * The requests of each target's folder ("Through gateway" / "Direct to backend", or `folder` inside
 * it), in order. InputError when a folder is missing, a URL does not resolve, or a dynamic variable
 * cannot be drawn by the script; RuntimeError (from the fast engine) for what it cannot send.
 */
export function describeTargets(input: DescribeTargetsInput): ExportSuite {
  const found = findSecrets({ collection: input.collection, environment: input.environment, envVars: input.envVars });
  const secretNames = found.variables;
  const marker = chooseMarker(JSON.stringify([input.collection, input.environment ?? null, input.envVars ?? null]));
  const markerToName = new Map<string, string>();
  const masked: Record<string, string> = { ...(input.envVars ?? {}) };
  secretNames.forEach((name, i) => {
    masked[name] = `${marker}${i}x`;
    markerToName.set(String(i), name);
  });
  const environment = applyEnvVars(input.environment, masked);
  const literalSecrets: string[] = [];
  const nameLiteral = createLiteralNamer(literalSecrets);
  const cutValues = createValueCutter(found.values, secretValueNames(input, secretNames), nameLiteral);
  const split = (text: string): Part[] => cutValues(splitParts(text, marker, markerToName));
  const unsupported = new Set<string>();

  const targets = input.targets.map((target): ExportTarget => {
    const folder = findTargetFolder(input.collection, target);
    const prepared = prepareExportRequests({
      collection: { ...input.collection, item: [folder] },
      environment,
      folder: input.folder ?? folder.name,
    });
    const requests = prepared.requests.map((request) => describeRequest(request, target, split, nameLiteral));
    for (const request of requests) for (const part of allParts(request)) {
      if (typeof part === 'object' && 'dynamic' in part && !(SUPPORTED_DYNAMIC as readonly string[]).includes(part.dynamic)) unsupported.add(part.dynamic);
    }
    return { target, host: hostOf(requests, target), requests };
  });
  if (unsupported.size > 0) {
    throw new InputError(`collection: the export cannot draw the dynamic variable${unsupported.size === 1 ? '' : 's'} ${[...unsupported].map((d) => `{{${d}}}`).join(', ')}`, [],
      `the generated scripts draw ${SUPPORTED_DYNAMIC.map((d) => `{{${d}}}`).join(', ')}; give the others a fixed value with --env-var or in the environment`);
  }
  const usedSecrets = new Set<string>();
  for (const t of targets) for (const r of t.requests) for (const part of allParts(r)) if (typeof part === 'object' && 'secret' in part) usedSecrets.add(part.secret);
  const names = [...secretNames.filter((n) => usedSecrets.has(n)), ...literalSecrets];
  const envNames = secretEnvNames(names);
  const secrets = names.map((name): ExportSecret => ({ name, envVar: envNames.get(name)!, kind: literalSecrets.includes(name) ? 'header' : 'variable' }));
  const limit = prepareRequests({ collection: { ...input.collection, item: [] }, environment }).maxResponseTimeMs;
  if (Number.isNaN(limit)) throw new InputError('max_response_time_ms: must be a number of milliseconds above 0', [], 'fix the variable in the collection or environment, or set it with --env-var max_response_time_ms=5000');
  return { targets, secrets, maxResponseTimeMs: limit };
}

/**
 * The fast engine's prepared requests; what it refuses (Postman scripts, auth types or bodies it
 * cannot build) the generated scripts cannot send either, so the refusal stays, in export words.
 */
function prepareExportRequests(input: PrepareInput): PreparedRun {
  try {
    return prepareRequests(input);
  } catch (error) {
    if (!(error instanceof InputError) || error.hint !== ENGINE_HINT) throw error;
    throw new InputError(`the export cannot write ${error.problems.length === 1 ? 'this request' : 'these requests'} as Postman sends ${error.problems.length === 1 ? 'it' : 'them'}`, error.problems,
      'Locust and k6 run no Postman scripts (the generated file has the guide\'s checks itself): remove the scripts from the requests to export, or pick requests without them with --folder');
  }
}

function describeRequest(request: PreparedRequest, target: RampTarget, split: (text: string) => Part[], nameLiteral: (value: string) => string): ExportRequest {
  // The postman room's description: variables resolved, auth applied; dynamic variables still `{{$name}}`.
  const { description } = request;
  const urlText = request.target ? `${request.target.origin}${request.target.path}` : description.url;
  const headers: [Part[], Part[]][] = [];
  for (const [headerName, headerValue] of withSystemHeaders(description.headers)) {
    const name = split(headerName);
    let value = split(headerValue);
    const lower = headerName.trim().toLowerCase();
    if (SECRET_HEADERS.has(lower) && !value.some((p) => typeof p === 'object' && 'secret' in p) && headerValue !== '') {
      value = [{ secret: nameLiteral(headerValue) }];
    }
    headers.push([name, value]);
  }
  return {
    item: request.item,
    label: `[${target}] ${request.item}`,
    method: request.method,
    url: split(urlText),
    headers,
    ...(description.body ? { body: describeBody(description.body, split) } : {}),
  };
}

/** Values shorter than this are not cut out by value: "1" or "id" would cut up every URL (createMask leaves them too). */
const MIN_CUT_LENGTH = 4;

/** The value of each secret variable that has one (--env-var over environment over collection), → its name. */
function secretValueNames(input: DescribeTargetsInput, names: readonly string[]): Map<string, string> {
  const byValue = new Map<string, string>();
  for (const name of names) {
    const value = input.envVars?.[name] ?? variableValue(input.environment?.values, name) ?? variableValue(input.collection.variable, name);
    if (value !== undefined && !byValue.has(value)) byValue.set(value, name);
  }
  return byValue;
}

/**
 * Cuts every secret value still written literally out of a text's parts, longest first: the
 * value of a secret variable becomes that variable's part (it was typed out somewhere instead of
 * `{{name}}`), any other one a literal credential's part (named by `nameLiteral`).
 */
function createValueCutter(values: readonly string[], variableOf: ReadonlyMap<string, string>, nameLiteral: (value: string) => string): (parts: Part[]) => Part[] {
  const cuttable = values.filter((v) => v.length >= MIN_CUT_LENGTH);
  return (parts) => {
    let out = parts;
    for (const value of cuttable) {
      if (!out.some((p) => typeof p === 'string' && p.includes(value))) continue;
      const part: Part = { secret: variableOf.get(value) ?? nameLiteral(value) };
      out = out.flatMap((p) => (typeof p === 'string' && p.includes(value) ? p.split(value).flatMap((piece, i) => (i === 0 ? [piece] : [part, piece])).filter((x) => x !== '') : [p]));
    }
    return out;
  };
}

/** Names literal credentials by the order they are first met: authorization, authorization_2, … (pushed to `names`). */
function createLiteralNamer(names: string[]): (value: string) => string {
  const byValue = new Map<string, string>();
  return (value) => {
    let name = byValue.get(value);
    if (!name) {
      name = names.length === 0 ? 'authorization' : `authorization_${names.length + 1}`;
      byValue.set(value, name);
      names.push(name);
    }
    return name;
  };
}

function describeBody(body: RequestBody, split: (text: string) => Part[]): NonNullable<ExportRequest['body']> {
  if (body.mode === 'urlencoded' && body.fields) return { form: body.fields.map(([key, value]) => [split(key), split(value)]) };
  return { raw: split(body.text) };
}

function allParts(request: ExportRequest): Part[] {
  const parts = [...request.url, ...request.headers.flat(2)];
  if (request.body && 'raw' in request.body) parts.push(...request.body.raw);
  if (request.body && 'form' in request.body) parts.push(...request.body.form.flat(2));
  return parts;
}

/** Splits text at secret markers and `{{$dynamic}}` tokens; adjacent literals are joined. */
function splitParts(text: string, marker: string, markerToName: Map<string, string>): Part[] {
  const pattern = new RegExp(`${marker}(\\d+)x|${DYNAMIC_TOKEN.source}`, 'g');
  const parts: Part[] = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > at) parts.push(text.slice(at, match.index));
    parts.push(match[1] !== undefined ? { secret: markerToName.get(match[1])! } : { dynamic: match[2] });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/**
 * A marker that stands for a secret while the requests are resolved: lower-case letters and digits
 * only, so URL parsing and host normalisation leave it whole, and found nowhere in the input.
 */
function chooseMarker(inputText: string): string {
  for (let n = 0; ; n += 1) {
    const marker = `d502s${n.toString(36)}q`;
    if (!inputText.toLowerCase().includes(marker)) return marker;
  }
}

/** Locust's `host`: the origin of the first URL that starts with a fixed scheme and host. */
function hostOf(requests: readonly ExportRequest[], target: RampTarget): string {
  for (const request of requests) {
    const first = request.url[0];
    if (typeof first !== 'string') continue;
    const match = /^(https?:\/\/[^/?#]+)([/?#]|$)/i.exec(first);
    if (match && (match[2] !== '' || request.url.length === 1)) return match[1];
  }
  throw new InputError(`collection: no request of the ${target} folder has a fixed scheme and host`, [], 'the host may not come from a secret or a dynamic variable; set it with --env-var');
}
