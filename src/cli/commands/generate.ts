import { resolve } from 'node:path';
import { displayPath } from '../../fs/display-path.js';
import type { Argv } from 'yargs';
import { findConfigFile, loadConfig } from '../../config/index.js';
import { EXIT } from '../../errors.js';
import { COLLECTION_FORMATS, generate, type CollectionFormat } from '../../generate/index.js';
import type { CommandDefinition } from '../command.js';

interface GenerateArgs {
  config?: string;
  out: string;
  collectionFormat: CollectionFormat;
}

/**
 * `debug502 generate`: config → the "502 Debugging" collection and its environments. Prints each
 * path written (one per line, on stdout) and how to run them (stderr). Exit 0, or 2 on a bad
 * config, with nothing written.
 */
export const generateCli: CommandDefinition<GenerateArgs> = {
  command: 'generate',
  describe: 'Write the "502 Debugging" Postman collection and environments from debug502.config.yaml',
  builder: (yargs) =>
    yargs
      .option('config', { type: 'string', describe: 'Config file, YAML or JSON (default: debug502.config.yaml, then .json, in the current directory)' })
      .option('out', { type: 'string', default: '.', describe: 'Directory that receives collections/ and environments/' })
      .option('collection-format', {
        choices: COLLECTION_FORMATS,
        default: 'v2.1' as CollectionFormat,
        describe: 'v2.1: one JSON file (newman, Postman import). v3: a directory of YAML under postman/collections/ (Postman v12, Native Git), plus postman/environments/*.environment.yaml',
      })
      .example('$0 generate', 'from debug502.config.yaml into ./collections and ./environments')
      .example('$0 generate --config staging.json --out build', 'from another config, into build/')
      .example('$0 generate --collection-format v3', 'the v3 directory Postman v12 reads from a git repository') as unknown as Argv<GenerateArgs>,
  handler: async (args, io) => {
    const configFile = args.config === undefined ? findConfigFile(io.cwd) : resolve(io.cwd, args.config);
    const config = await loadConfig(configFile, displayPath(io.cwd, configFile));
    const written = await generate(config, resolve(io.cwd, args.out), { collectionFormat: args.collectionFormat });
    const collection = displayPath(io.cwd, written.collection);
    const environments = written.environments.map((path) => displayPath(io.cwd, path));
    const v3Environments = (written.v3Environments ?? []).map((path) => displayPath(io.cwd, path));
    io.stdout([collection, ...environments, ...v3Environments].join('\n') + '\n');
    if (args.collectionFormat === 'v3') {
      // Newman cannot run v3; the Postman CLI can, and so can debug502 (it reads the directory).
      io.stderr(`run it: postman collection run ${quote(collection)} -e ${quote(v3Environments[0])}\n`);
      io.stderr(`    or: npx debug502 run --collection ${quote(collection)} --environment ${quote(environments[0])}\n`);
    } else {
      io.stderr(`run it: npx newman run ${quote(collection)} -e ${quote(environments[0])}\n`);
    }
    return EXIT.ok;
  },
};

function quote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
