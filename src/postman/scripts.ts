/**
 * The scripts a request runs: its own, its folders' and the collection's pre-request and test
 * scripts. debug502's own test script (the guide's two tests, templates/generate/request-tests.js.hbs)
 * is recognised by its first line, so an engine that evaluates those tests natively can tell it
 * from a user's script, which only newman can run.
 */
import type { ItemJson } from './items.js';

/** The first line of every test script debug502 generates. */
export const GENERATED_SCRIPT_MARK = "// debug502: the checks of the 502 Bad Gateway guide.";
/** In a generated test script, the line after which the source collection's own test script follows. */
export const OWN_SCRIPT_MARK = "// debug502: the request's own test script, as the source collection had it:";

export type ScriptListen = 'prerequest' | 'test';

/** One script that is not debug502's own, and where it is. */
export interface ScriptAt {
  listen: ScriptListen;
  /** "Orders / Get order", or "(collection)" for a collection-level script. */
  where: string;
}

interface EventJson {
  listen?: string;
  disabled?: boolean;
  script?: { exec?: string[] | string; src?: unknown };
}

/** The code of a script event as one text. */
export function scriptText(event: unknown): string {
  const exec = (event as EventJson | undefined)?.script?.exec ?? [];
  return Array.isArray(exec) ? exec.join('\n') : String(exec);
}

/** Whether an event holds code (not only comments and blank lines) that is not debug502's own. */
export function isUserScript(event: unknown): boolean {
  const e = event as EventJson | undefined;
  if (!e || e.disabled || (e.listen !== 'prerequest' && e.listen !== 'test')) return false;
  if (e.script?.src !== undefined) return true; // a script loaded from a URL: code all the same
  let text = scriptText(e);
  if (text.trimStart().startsWith(GENERATED_SCRIPT_MARK)) {
    const own = text.indexOf(OWN_SCRIPT_MARK);
    if (own < 0) return false;
    text = text.slice(own + OWN_SCRIPT_MARK.length);
  }
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').trim() !== '';
}

/**
 * The user scripts that run around `item` (collection first, then each folder, then the item's
 * own), as newman runs them. `folders` are the item's folders, outermost first.
 */
export function findUserScripts(collection: { event?: unknown }, folders: readonly ItemJson[], item: ItemJson): ScriptAt[] {
  const found: ScriptAt[] = [];
  const scan = (events: unknown, where: string) => {
    if (!Array.isArray(events)) return;
    for (const event of events) if (isUserScript(event)) found.push({ listen: (event as EventJson).listen as ScriptListen, where });
  };
  scan(collection.event, '(collection)');
  folders.forEach((folder, i) => scan(folder.event, folders.slice(0, i + 1).map((f) => f.name ?? '(unnamed)').join(' / ')));
  scan(item.event, [...folders, item].map((f) => f.name ?? '(unnamed)').join(' / '));
  return found;
}
