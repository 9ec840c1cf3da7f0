import { resolve } from 'node:path';
import { displayPath } from '../../fs/display-path.js';
import type { Argv } from 'yargs';
import { findConfigFile, loadConfig } from '../../config/index.js';
import { CONFIG_DEFAULTS } from '../../config/defaults.js';
import { EXIT, InputError } from '../../errors.js';
import { environmentFromUrls, generateFrom } from '../../generate/generate-from.js';
import type { Io } from '../io.js';
import { checkInterrupted } from '../../interrupt.js';
import { COLLECTION_FORMATS, generate, type CollectionFormat, type GeneratedFiles } from '../../generate/index.js';
import type { CommandDefinition } from '../command.js';

interface GenerateArgs {
  config?: string;
  out: string;
  collectionFormat: CollectionFormat;
  'from-collection'?: string;
  'from-openapi'?: string;
  'base-var'?: string;
  'gateway-url'?: string;
  'backend-url'?: string;
  'env-name'?: string;
}

/**
 * `debug502 generate`: config → the "502 Debugging" collection and its environments. Prints each
 * path written (one per line, on stdout) and how to run them (stderr). Exit 0, or 2 on a bad
 * config, or 130 on Ctrl-C / SIGTERM before the files are in place — with nothing written.
 */
export const generateCli: CommandDefinition<GenerateArgs> = {
  command: 'generate',
  describe: 'Write the "502 Debugging" Postman collection and environments: from debug502.config.yaml, or from your own collection or OpenAPI document',
  builder: (yargs) =>
    yargs
      .option('config', { type: 'string', describe: 'Config file, YAML or JSON (default: debug502.config.yaml, then .json, in the current directory)' })
      .option('out', { type: 'string', default: '.', describe: 'Directory that receives collections/ and environments/' })
      .option('from-collection', { type: 'string', describe: 'Your Postman collection (v2.1, v2.0 or v1): every request twice, through the gateway and direct, its folders, auth and scripts kept' })
      .option('from-openapi', { type: 'string', describe: 'Your OpenAPI 3.0/3.1 or Swagger 2.0 document (YAML or JSON), converted with openapi-to-postmanv2, then paired the same way' })
      .option('base-var', { type: 'string', describe: 'The base to replace when the requests use more than one: a variable (baseUrl) or a literal origin (https://api.example.com)' })
      .option('gateway-url', { type: 'string', describe: 'With --from-*: the gateway URL of the one environment written' })
      .option('backend-url', { type: 'string', describe: 'With --from-*: the backend URL (past the gateway) of that environment' })
      .option('env-name', { type: 'string', describe: 'With --from-*: its name and file name (default: local)' })
      .conflicts('from-collection', 'from-openapi')
      .option('collection-format', {
        choices: COLLECTION_FORMATS,
        default: 'v2.1' as CollectionFormat,
        describe: 'v2.1: one JSON file (newman, Postman import). v3: a directory of YAML under postman/collections/ (Postman v12, Native Git), plus postman/environments/*.environment.yaml — from a config, --from-collection or --from-openapi',
      })
      .example('$0 generate', 'from debug502.config.yaml into ./collections and ./environments')
      .example('$0 generate --config staging.json --out build', 'from another config, into build/')
      .example('$0 generate --collection-format v3', 'the v3 directory Postman v12 reads from a git repository')
      .example('$0 generate --from-collection shop.postman_collection.json --gateway-url https://gw.staging --backend-url http://10.0.0.5:3000', 'your collection, paired')
      .example('$0 generate --from-openapi openapi.yaml --gateway-url http://127.0.0.1:8080/api --backend-url http://127.0.0.1:3000/api', 'your spec, paired') as unknown as Argv<GenerateArgs>,
  handler: async (args, io) => {
    if (args['from-collection'] !== undefined || args['from-openapi'] !== undefined) return generateFromSource(args, io);
    const configFile = args.config === undefined ? findConfigFile(io.cwd) : resolve(io.cwd, args.config);
    const config = await loadConfig(configFile, displayPath(io.cwd, configFile), { signal: io.signal });
    await checkInterrupted(io.signal, 'while reading the config');
    const written = await generate(config, resolve(io.cwd, args.out), { collectionFormat: args.collectionFormat, signal: io.signal });
    printWritten(written, io);
    return EXIT.ok;
  },
};

/** The paths written (stdout, one a line) and how to run them (stderr). */
function printWritten(written: GeneratedFiles, io: Io): void {
  const collection = displayPath(io.cwd, written.collection);
  const environments = written.environments.map((path) => displayPath(io.cwd, path));
  const v3Environments = (written.v3Environments ?? []).map((path) => displayPath(io.cwd, path));
  io.stdout([collection, ...environments, ...v3Environments].join('\n') + '\n');
  if (written.v3Environments !== undefined) {
    // Newman cannot run v3; the Postman CLI can, and so can debug502 (it reads the directory).
    io.stderr(`run it: postman collection run ${quote(collection)} -e ${quote(v3Environments[0])}\n`);
    io.stderr(`    or: npx debug502 run ${quote(collection)} --environment ${quote(environments[0])}\n`);
  } else {
    io.stderr(`run it: npx newman run ${quote(collection)} -e ${quote(environments[0])}\n`);
  }
}

/** `generate --from-collection | --from-openapi`: the notes on stderr, the paths on stdout. */
async function generateFromSource(args: GenerateArgs, io: Io): Promise<number> {
  const usesUrls = args['gateway-url'] !== undefined || args['backend-url'] !== undefined || args['env-name'] !== undefined;
  if (usesUrls && args.config !== undefined) throw new InputError('--config and --gateway-url/--backend-url/--env-name: give one of them', [], '--config supplies environments and assertions; the flags write one environment');
  let environments;
  let maxResponseTimeMs: number = CONFIG_DEFAULTS.maxResponseTimeMs;
  if (args.config !== undefined) {
    const configFile = resolve(io.cwd, args.config);
    const config = await loadConfig(configFile, displayPath(io.cwd, configFile), { endpointsOptional: true, signal: io.signal });
    environments = config.environments;
    maxResponseTimeMs = config.assertions.maxResponseTimeMs;
  } else {
    environments = environmentFromUrls({ gatewayUrl: args['gateway-url'], backendUrl: args['backend-url'], envName: args['env-name'] });
  }
  const written = await generateFrom(
    { fromCollection: args['from-collection'], fromOpenapi: args['from-openapi'], baseVar: args['base-var'], environments, maxResponseTimeMs, cwd: io.cwd, signal: io.signal, collectionFormat: args.collectionFormat },
    resolve(io.cwd, args.out),
  );
  for (const note of written.notes) io.stderr(`${note}\n`);
  printWritten(written, io);
  return EXIT.ok;
}

function quote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
