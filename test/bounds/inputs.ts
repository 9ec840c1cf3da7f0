/** Inputs for the bounds tests of input files: a minimal debug502 pair, and the CLI in-process. */
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

/** A v2.1 collection (as JSON text) with one request per route folder, built by `request(url variable)`. */
export function pairedCollectionJson(name: string, request: (variable: 'gateway_url' | 'backend_url') => object): string {
  return JSON.stringify({
    info: { name, schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: [
      { name: 'Through gateway', item: [{ name, request: request('gateway_url') }] },
      { name: 'Direct to backend', item: [{ name, request: request('backend_url') }] },
    ],
  });
}

/** `debug502 <argv>` in-process in `cwd`: exit code and everything printed. */
export async function runCliIn(cwd: string, argv: string[]): Promise<{ code: number; text: string }> {
  const io = captureIo({ cwd });
  const code = await main(argv, io);
  return { code, text: io.text() };
}
