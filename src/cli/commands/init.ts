import type { Argv } from 'yargs';
import { INIT_DEFAULT_FILE, initCommand } from '../../init/init-command.js';
import type { CommandDefinition } from '../command.js';

interface InitArgs {
  config: string;
  'gateway-url'?: string;
  'backend-url'?: string;
  'from-collection'?: string;
  'from-openapi'?: string;
  force: boolean;
}

/** `debug502 init`: a commented starter config and the next steps. Exit 0, or 2 (the file exists without --force, bad URLs or source). */
export const initCli: CommandDefinition<InitArgs> = {
  command: 'init',
  describe: 'Write a commented starter debug502.config.yaml (your URLs; endpoints from your collection or OpenAPI document) and print the next steps',
  builder: (yargs) =>
    yargs
      .option('config', { type: 'string', default: INIT_DEFAULT_FILE, describe: 'The file to write' })
      .option('gateway-url', { type: 'string', describe: 'The gateway (nginx, load balancer, API gateway), e.g. https://gw.staging.example.com (default: the lab\'s, http://127.0.0.1:8080)' })
      .option('backend-url', { type: 'string', describe: 'The backend behind it, reached directly, e.g. http://10.0.0.12:3000 (default: the lab\'s, http://127.0.0.1:3000)' })
      .option('from-collection', { type: 'string', describe: 'List the endpoints of this Postman collection (v2.1, v2.0, v1 or a v3 directory): method, path, query' })
      .option('from-openapi', { type: 'string', describe: 'List the endpoints of this OpenAPI 3.x / Swagger 2.0 document (YAML or JSON)' })
      .conflicts('from-collection', 'from-openapi')
      .option('force', { type: 'boolean', default: false, describe: 'Replace the file when it exists' })
      .example('$0 init', 'a starter pointing at the lab ("debug502 lab")')
      .example('$0 init --gateway-url https://gw.staging --backend-url http://10.0.0.5:3000 --from-openapi openapi.yaml', 'your URLs, your spec\'s endpoints')
      .epilogue('Exit: 0 written · 2 the file exists (use --force), bad URLs or source; nothing is written then') as unknown as Argv<InitArgs>,
  handler: async (args, io) => {
    const { exitCode } = await initCommand(
      { file: args.config, gatewayUrl: args['gateway-url'], backendUrl: args['backend-url'], fromCollection: args['from-collection'], fromOpenapi: args['from-openapi'], force: args.force },
      io,
    );
    return exitCode;
  },
};
