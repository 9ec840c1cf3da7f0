/**
 * Next steps as commands a user can paste, filled in from what a report knows — the collection and
 * environment it ran with — rather than `<env>` placeholders; a placeholder remains only for what
 * the tool cannot know (the gateway's log file). Pure.
 */

/** A path or value as one shell word: as it is when plain, else single-quoted. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The options that give a command the environment a report describes (describeEnvironmentSource's
 * text: `local.json`, `local.json + --env-var gateway_url`, `--env-var gateway_url, backend_url`):
 * `--environment local.json`, and for each override `--env-var key=…` with the value when `values`
 * knows it (reports keep no override's value: it may be a secret). No environment at all:
 * `--environment <environment file>`.
 */
export function environmentOptions(description: string, values: Readonly<Record<string, string | undefined>> = {}): string {
  const [file, overrides] = description.startsWith('--env-var ') ? ['', description] : description.split(' + ');
  const keys = (overrides ?? '').replace(/^--env-var /, '').split(', ').filter(Boolean);
  const parts = [
    ...(file ? [`--environment ${shellWord(file)}`] : []),
    ...keys.map((key) => `--env-var ${key}=${values[key] !== undefined ? shellWord(values[key]!) : `<${key}>`}`),
  ];
  return parts.length > 0 ? parts.join(' ') : '--environment <environment file>';
}

/** `c.json` as the first argument of run/ramp/export, or `<collection>` when the report has none. */
export function collectionArgument(collection: string): string {
  return collection ? shellWord(collection) : '<collection>';
}
