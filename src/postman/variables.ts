/**
 * `{{variable}}` resolution as newman does it, with the postman-collection SDK: `--env-var` over the
 * environment over collection variables over globals (Postman's precedence: the narrower scope
 * wins). Dynamic variables (`{{$guid}}`, `{{$timestamp}}`, `{{$randomInt}}`, …) are kept as
 * `{{$name}}` in the resolved text, so that whoever sends the request draws them again for every
 * send, as newman does; `drawDynamicVariables` draws them.
 */
import postmanCollection from 'postman-collection';

const { Property, VariableScope } = postmanCollection;

/** The variable scopes of a run, as plain Postman JSON. */
export interface VariableSources {
  /** A Postman collection (its `variable` array is read). */
  collection: object;
  /** A Postman environment file (`values`). */
  environment?: object;
  /** A Postman globals file (`values`). */
  globals?: object;
  /** `--env-var key=value`: set in the environment scope, over its own values. */
  envVars?: Record<string, string>;
}

/** Resolved text; `dynamic` when it still holds `{{$name}}` to draw at each send. */
export interface ResolvedText {
  text: string;
  dynamic: boolean;
}

/** Resolves the `{{variables}}` of one text. */
export type ResolveText = (text: string) => ResolvedText;

const MARK = '\u0000';
const DYNAMIC_TOKEN = /\{\{(\$[^{}]*?)\}\}/g;
const MARKED = new RegExp(`${MARK}(\\$[^${MARK}]*)${MARK}`, 'g');
/** A `{{name}}` left after resolution: a variable no scope sets. */
const UNRESOLVED_TOKEN = /\{\{\s*([^{}$][^{}]*?)\s*\}\}/g;

/**
 * A resolver over `sources`. Nested references (`{{base}}` → `{{host}}/api`) resolve as the SDK
 * resolves them (up to its depth limit). Pure apart from reading its input, which is never changed.
 */
export function createTextResolver(sources: VariableSources): ResolveText {
  const environment = new VariableScope((sources.environment ?? {}) as never);
  for (const [key, value] of Object.entries(sources.envVars ?? {})) environment.set(key, value, undefined as never);
  const collectionVariables = new VariableScope({ values: (sources.collection as { variable?: unknown[] }).variable ?? [] } as never);
  const globals = new VariableScope((sources.globals ?? {}) as never);
  // Every dynamic name the input uses maps to itself between markers: the one-time pass keeps it,
  // and it is put back as `{{$name}}` afterwards. Names not found here cannot appear in the text.
  const shield: Record<string, string> = {};
  const everything = JSON.stringify([sources.collection, sources.environment ?? null, sources.globals ?? null, sources.envVars ?? null]);
  for (const match of everything.matchAll(DYNAMIC_TOKEN)) shield[match[1]] = `${MARK}${match[1]}${MARK}`;
  const scopes = [environment.values, collectionVariables.values, globals.values, shield];
  return (text) => {
    if (!text.includes('{{')) return { text, dynamic: false };
    // A fresh array each time: the SDK appends its dynamic variables to the one it is given.
    const resolved = Property.replaceSubstitutions(text, [...scopes] as never);
    const restored = resolved.replace(MARKED, '{{$1}}');
    return { text: restored, dynamic: restored !== resolved };
  };
}

/** Draws the dynamic variables of `text` (a fresh `{{$guid}}` at every call); plain text comes back as it is. */
export function drawDynamicVariables(text: string): string {
  return text.includes('{{$') ? Property.replaceSubstitutions(text, []) : text;
}

/** The names of `{{variables}}` still in `text` (dynamic ones excepted), each once. */
export function findUnresolvedVariables(text: string): string[] {
  return [...new Set([...text.matchAll(UNRESOLVED_TOKEN)].map((match) => match[1]))];
}
