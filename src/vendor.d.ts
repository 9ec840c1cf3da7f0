/** The parts of converters without bundled typings that debug502 calls. */
declare module 'postman-collection-transformer' {
  const transformer: {
    convert(collection: object, options: { inputVersion: string; outputVersion: string; retainIds?: boolean }, callback: (error: Error | null, result: unknown) => void): void;
  };
  export default transformer;
}
