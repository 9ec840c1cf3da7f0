/**
 * A Postman v2.0 collection as v2.1. postman-collection-transformer converts between v1 and v2.x
 * but has no v2.0 → v2.1 path ("no conversion path found"): the two formats differ in how auth
 * parameters are written — v2.0 keeps them as one object per type (`"basic": { "username": … }`),
 * v2.1 as a list (`"basic": [{ "key": "username", "value": …, "type": "string" }]`). That is
 * exactly what the transformer's own v1 → v2.1 converter adds on top of v1 → v2.0
 * (converters/v1.0.0/converter-v1-to-v21.js: `util.authMapToArray`), so this applies the same
 * function to every auth in the collection — the collection's, each folder's, each request's and
 * each saved example's original request — and sets the v2.1 schema. Everything else (URLs as
 * strings or objects, bodies, scripts, variables) is the same in both and is kept as it is.
 */
import transformer from 'postman-collection-transformer';
import type { PostmanCollection } from './load.js';

const V21_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `json` (a parsed v2.0 collection) as v2.1: a converted copy, the input untouched. An auth whose
 * parameters are already a list (some exports mix the two) is kept; a type-less one too.
 */
export function convertV20ToV21(json: Json): PostmanCollection {
  const collection = structuredClone(json);
  convertAuthOf(collection);
  for (const item of Array.isArray(collection.item) ? collection.item : []) convertItem(item);
  collection.info = { ...(isObject(collection.info) ? collection.info : {}), schema: V21_SCHEMA };
  return collection as unknown as PostmanCollection;
}

function convertItem(item: unknown): void {
  if (!isObject(item)) return;
  convertAuthOf(item);
  if (isObject(item.request)) convertAuthOf(item.request);
  for (const response of Array.isArray(item.response) ? item.response : []) {
    if (isObject(response) && isObject(response.originalRequest)) convertAuthOf(response.originalRequest);
  }
  for (const child of Array.isArray(item.item) ? item.item : []) convertItem(child);
}

/** `entity.auth` in v2.1's list form, when it is a v2.0 one (an object of parameters under its type). */
function convertAuthOf(entity: Json): void {
  const auth = entity.auth;
  if (!isObject(auth) || typeof auth.type !== 'string' || !isObject(auth[auth.type])) return;
  entity.auth = transformer.util.authMapToArray({ auth });
}
