import type { Argv } from 'yargs';
import { FOLDER_OPTION, INSECURE_OPTION, readFolders } from './command.js';

/** The collection-input options as yargs has them after `collectionInputOptions` declared them. */
export interface CollectionInputArgs {
  environment?: string;
  'env-var'?: string[];
  globals?: string;
  'global-var'?: string[];
  'iteration-data'?: string;
  folder?: string[];
  insecure: boolean;
  'timeout-request'?: string;
  'working-dir'?: string;
  'insecure-file-read'?: boolean;
  'ssl-client-cert'?: string;
  'ssl-client-key'?: string;
  'ssl-client-passphrase'?: string;
  'ssl-client-cert-list'?: string;
  'ssl-extra-ca-certs'?: string;
}

/** What a command says about the options it takes differently from the others (appended to the common text). */
export interface CollectionInputNotes {
  environment?: string;
  /** Appended to the -g and --global-var descriptions (e.g. "newman engine"). */
  globals?: string;
  /** The whole -d description: what a row means differs per command. */
  iterationData: string;
  insecure?: string;
  timeoutRequest: { default?: string; describe?: string };
}

/**
 * Declares newman's input options, one definition for run, ramp, diagnose and watch: `-e/--environment`,
 * `--env-var`, `-g/--globals`, `--global-var`, `-d/--iteration-data`, `--folder`, `-k/--insecure`,
 * `--timeout-request`, `--working-dir`, `--no-insecure-file-read`, `--ssl-client-cert`,
 * `--ssl-client-key`, `--ssl-client-passphrase`, `--ssl-client-cert-list`, `--ssl-extra-ca-certs` — the same names, short forms and
 * meanings as `newman run` (one default differs, said in --help: a v3 directory's files stay in it).
 */
export function collectionInputOptions<T>(yargs: Argv<T>, notes: CollectionInputNotes): Argv<T & CollectionInputArgs> {
  const also = (text: string | undefined) => (text === undefined ? '' : ` (${text})`);
  return yargs
    .option('environment', { alias: 'e', type: 'string', describe: `Postman environment file with gateway_url and backend_url${also(notes.environment)}` })
    .option('env-var', { type: 'string', array: true, describe: 'Set a variable, overriding the environment: key=value (repeatable)' })
    .option('globals', { alias: 'g', type: 'string', describe: `Postman globals file, below the environment as in newman${also(notes.globals)}` })
    .option('global-var', { type: 'string', array: true, describe: `Set a global variable: key=value (repeatable${notes.globals ? `; ${notes.globals}` : ''})` })
    .option('iteration-data', { alias: 'd', type: 'string', describe: notes.iterationData })
    .option('folder', FOLDER_OPTION)
    .option('insecure', { ...INSECURE_OPTION, describe: `${INSECURE_OPTION.describe}${also(notes.insecure)}` })
    .option('timeout-request', {
      type: 'string',
      ...(notes.timeoutRequest.default !== undefined ? { default: notes.timeoutRequest.default } : {}),
      describe: notes.timeoutRequest.describe ?? 'Total deadline of each request (connect, headers and the whole body), e.g. 500ms, 2s; a bare number is ms',
    })
    .option('working-dir', {
      type: 'string',
      describe: 'Where the relative paths of file bodies and form-data files start, as in newman (default: the collection\'s directory for a v3 collection, else the current directory)',
    })
    .option('insecure-file-read', {
      type: 'boolean',
      describe: 'Whether requests may send files outside --working-dir. newman\'s default, on, for a JSON collection; off for a v3 directory, whose files stay in it (--insecure-file-read allows them). --no-insecure-file-read refuses them (exit 2, nothing sent)',
    })
    .option('ssl-client-cert', { type: 'string', describe: 'Client certificate (PEM) for every https request, as newman: for a gateway that requires mutual TLS (with --ssl-client-key)' })
    .option('ssl-client-key', { type: 'string', describe: 'The client certificate\'s private key (PEM)' })
    .option('ssl-client-passphrase', { type: 'string', describe: 'Passphrase of an encrypted --ssl-client-key (masked in all output)' })
    .option('ssl-client-cert-list', { type: 'string', describe: 'newman\'s client certificate list (JSON): [{ "name", "matches": ["https://gw.example.com/*"], "cert": { "src" }, "key": { "src" }, "passphrase" }] — the first entry matching a URL is sent; --ssl-client-cert comes after it, for every URL' })
    .option('ssl-extra-ca-certs', { type: 'string', describe: 'More trusted CA certificates (PEM), besides the default roots: a gateway whose certificate a private CA signed' }) as unknown as Argv<T & CollectionInputArgs>;
}

/** The library's names for what `collectionInputOptions` declared (paths as given; the commands load and check them). */
export function readCollectionInputArgs(args: CollectionInputArgs) {
  return {
    environment: args.environment,
    envVars: args['env-var'],
    globals: args.globals,
    globalVars: args['global-var'],
    iterationData: args['iteration-data'],
    folders: readFolders(args.folder),
    insecure: args.insecure,
    timeoutRequest: args['timeout-request'],
    workingDir: args['working-dir'],
    insecureFileRead: args['insecure-file-read'],
    tls: {
      clientCert: args['ssl-client-cert'],
      clientKey: args['ssl-client-key'],
      clientPassphrase: args['ssl-client-passphrase'],
      clientCertList: args['ssl-client-cert-list'],
      extraCaCerts: args['ssl-extra-ca-certs'],
    },
  };
}
