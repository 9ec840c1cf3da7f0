/**
 * GitHub Actions reads workflow commands from a step's stdout and stderr, line by line: a line
 * that starts with `::` after leading white space (`::error title=…::…`, `::add-mask::…`,
 * `::stop-commands::TOKEN`, which would switch off debug502's own annotations) and, in the older
 * form, `##[command]…` anywhere in a line. The runner splits lines at CR as well as LF. An item
 * name or a log line that printed so would be obeyed, so under `GITHUB_ACTIONS=true` every line
 * of user text is neutralised here — a space goes between the two characters that make a command
 * (`: :error …`, `## [error]`) — and only debug502's own commands (report/github-actions.ts, which
 * escapes their data and properties) reach the runner as commands.
 * See actions/runner's ActionCommand.TryParseV2 / TryParse.
 */

/** One output stream's guard: user text is neutralised, debug502's own commands pass on lines of their own. */
export interface WorkflowCommandGuard {
  /** User text (any chunk of a line, or many lines): no line of it is a workflow command afterwards. */
  text(text: string): string;
  /**
   * debug502's own workflow commands (`::error title=…::…` lines, their data and properties
   * escaped as GitHub documents): they pass, on a line of their own; a line that is not one of
   * them is neutralised as user text, and `##[` in them too.
   */
  commands(text: string): string;
}

/** One of debug502's own annotations: `::error|warning|notice`, properties without `:` (escaped as %3A), `::`, data. */
const OWN_COMMAND = /^::(?:error|warning|notice)(?: [^:\r\n]*)?::[^\r\n]*$/;

/**
 * A guard for one output stream. It remembers where the last chunk left the line — at its start
 * (white space only so far), after a lone `:` there, or else its last two characters — since a
 * progress line or a table cell may be written in pieces and a command split over two writes
 * must be caught too.
 */
export function createWorkflowCommandGuard(): WorkflowCommandGuard {
  // "" or ":" while the line is at its start; otherwise its last two characters. Behind the
  // prefix of a line that is not at its start goes a NUL: never a line start, and never in
  // sanitized text (control characters are escaped before this).
  let context = '';
  let atLineStart = true;
  const advance = (written: string) => {
    const at = Math.max(written.lastIndexOf('\n'), written.lastIndexOf('\r'));
    if (at >= 0) {
      atLineStart = true;
      context = '';
    }
    const rest = written.slice(at + 1);
    if (atLineStart) {
      const trimmed = (context + rest).replace(/^[^\S\r\n]+/, '');
      if (trimmed === '' || trimmed === ':') context = trimmed;
      else {
        atLineStart = false;
        context = (context + rest).slice(-2);
      }
    } else context = (context + rest).slice(-2);
  };
  const text = (chunk: string) => {
    if (chunk === '') return chunk;
    const prefix = atLineStart ? `\n${context}` : `\u0000${context}`;
    const guarded = neutralize(prefix + chunk).slice(prefix.length);
    advance(guarded);
    return guarded;
  };
  const commands = (chunk: string) => {
    if (chunk === '') return chunk;
    const lines = chunk.split(/\r\n|\r|\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    const out = (atLineStart && context === '' ? '' : '\n') + lines.map((line) => (OWN_COMMAND.test(line) ? line.replace(/##\[/g, '## [') : neutralize(`\n${line}`).slice(1)) + '\n').join('');
    atLineStart = true;
    context = '';
    return out;
  };
  return { text, commands };
}

/**
 * `text` with every `::` that starts a line (after white space) and every `##[` split by a space.
 * Only inserts: the characters before an insertion point are never changed. Pure.
 */
export function neutralize(text: string): string {
  return text.replace(/(^|[\r\n])([^\S\r\n]*):(?=:)/g, '$1$2: ').replace(/##\[/g, '## [');
}
