/** The parts of converters without bundled typings that debug502 calls. */
declare module 'postman-collection-transformer' {
  const transformer: {
    convert(collection: object, options: { inputVersion: string; outputVersion: string; retainIds?: boolean }, callback: (error: Error | null, result: unknown) => void): void;
  };
  export default transformer;
}

/** Node's own HTTP parser module (lib/_http_common.js): no bundled typings; fast-llhttp.ts types what it uses. */
declare module 'node:_http_common' {
  const common: unknown;
  export default common;
}
