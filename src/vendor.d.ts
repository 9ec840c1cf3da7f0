/** The parts of converters without bundled typings that debug502 calls. */
declare module 'postman-collection-transformer' {
  const transformer: {
    convert(collection: object, options: { inputVersion: string; outputVersion: string; retainIds?: boolean }, callback: (error: Error | null, result: unknown) => void): void;
    util: {
      /** `{ auth: { type, [type]: { name: value } } }` → `{ type, [type]: [{ key, value, type }] }` (v2.0 → v2.1 auth); null and a type-less auth as cleanAuth leaves them. */
      authMapToArray(entity: { auth: unknown }, options?: object): unknown;
      /** The other way: v2.1 auth lists → v2.0 objects. */
      authArrayToMap(entity: { auth: unknown }, options?: object): unknown;
    };
  };
  export default transformer;
}

/** Node's own HTTP parser module (lib/_http_common.js): no bundled typings; fast-llhttp.ts types what it uses. */
declare module 'node:_http_common' {
  const common: unknown;
  export default common;
}
