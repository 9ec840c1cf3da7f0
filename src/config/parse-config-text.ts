import { LineCounter, parseDocument, type Document } from 'yaml';
import { InputError } from '../errors.js';
import { parseJsonFile } from '../postman/parse-json.js';
import { parseYamlText } from '../postman/parse-yaml.js';
import { CONFIG_SYNTAX_HINT } from './defaults.js';
import type { ConfigPath, LineLocator } from './problems.js';

/** A config file's data, and where each of its keys sits in the text (for problem lines). */
export interface ParsedConfigText {
  raw: unknown;
  locate: LineLocator;
}

/**
 * Parses a config file's text: JSON when the file name ends in `.json`, YAML otherwise. A syntax
 * error is an InputError naming the file, line and column (every YAML error is listed).
 */
export function parseConfigText(text: string, file: string): ParsedConfigText {
  if (file.toLowerCase().endsWith('.json')) {
    const raw = parseJsonFile(text, file, CONFIG_SYNTAX_HINT);
    // Valid JSON is also YAML, so the YAML parser can point at lines of a JSON file too.
    return { raw, locate: createLineLocator(text) };
  }
  const { value, errors } = parseYamlText(text, { maxErrors: Infinity });
  // One error is said in the message; several are listed, the first one in the message too.
  if (errors.length > 0) throw new InputError(`${file}: ${errors[0]}`, errors.length > 1 ? errors : [], CONFIG_SYNTAX_HINT);
  const raw = value;
  return { raw, locate: createLineLocator(text) };
}

/**
 * A LineLocator over YAML (or JSON) text; answers undefined when the text does not parse. The
 * document it needs is parsed on the first question only — a config with problems — and not held
 * otherwise: a YAML document of a 10,000-endpoint config takes hundreds of MB.
 */
export function createLineLocator(text: string): LineLocator {
  let locator: LineLocator | undefined;
  return (path, key) => {
    if (!locator) {
      const lineCounter = new LineCounter();
      locator = locatorOf(parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false }), lineCounter);
    }
    return locator(path, key);
  };
}

interface RangedNode {
  range?: [number, number, number] | null;
  items?: { key?: unknown; value?: unknown }[];
}

function locatorOf(doc: Document, lineCounter: LineCounter): LineLocator {
  return (path: ConfigPath, key?: string) => {
    if (doc.errors.length > 0) return undefined;
    // A missing key points at the nearest mapping that exists: that is where it has to be added.
    for (let depth = path.length; depth >= 0; depth--) {
      const prefix = path.slice(0, depth) as (string | number)[];
      const node = (depth === 0 ? doc.contents : doc.getIn(prefix, true)) as RangedNode | null | undefined;
      if (!node || typeof node !== 'object' || !node.range) continue;
      if (key !== undefined && depth === path.length && Array.isArray(node.items)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | undefined)?.value === key);
        const keyRange = (pair?.key as RangedNode | undefined)?.range;
        if (keyRange) return lineCounter.linePos(keyRange[0]).line;
      }
      return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
}
