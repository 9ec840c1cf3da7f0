/**
 * A tiny XML 1.0 well-formedness checker for tests (no XML parser is installed): balanced tags, one
 * root, quoted unique attributes, only the five predefined or numeric entities, no raw `<` or `&`
 * in text or attribute values. Returns the element tree; throws with the offset on the first problem.
 */
export interface XmlElement { name: string; attributes: Record<string, string>; children: XmlElement[]; text: string }

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

export function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed XML at offset ${at}: ${why} near ${JSON.stringify(source.slice(at, at + 40))}`);
  };
  const decode = (raw: string, start: number): string => {
    for (let i = raw.indexOf('&'); i !== -1; i = raw.indexOf('&', i + 1)) {
      if (!ENTITY.test(raw.slice(i))) { at = start + i; fail('bare & or unknown entity'); }
    }
    return raw.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
      .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&');
  };
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end === -1) fail('unterminated XML declaration');
    at = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (at < source.length) {
    const lt = source.indexOf('<', at);
    const text = source.slice(at, lt === -1 ? source.length : lt);
    if (stack.length === 0 && text.trim() !== '') fail('text outside the root element');
    if (stack.length > 0) stack[stack.length - 1].text += decode(text, at);
    if (lt === -1) break;
    at = lt;
    if (source.startsWith('<!--', at)) {
      const end = source.indexOf('-->', at);
      if (end === -1) fail('unterminated comment');
      at = end + 3;
      continue;
    }
    if (source.startsWith('</', at)) {
      const name = NAME.exec(source.slice(at + 2))?.[0] ?? fail('bad closing tag');
      const open = stack.pop();
      if (!open || open.name !== name) fail(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      at += 2 + name.length;
      const close = /^\s*>/.exec(source.slice(at)) ?? fail('closing tag not ended by >');
      at += close[0].length;
      continue;
    }
    const name = NAME.exec(source.slice(at + 1))?.[0] ?? fail('bad tag name');
    if (stack.length === 0 && root) fail('a second root element');
    const element: XmlElement = { name, attributes: {}, children: [], text: '' };
    at += 1 + name.length;
    for (;;) {
      const attribute = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(source.slice(at));
      if (!attribute) break;
      if (attribute[1] in element.attributes) fail(`duplicate attribute ${attribute[1]}`);
      element.attributes[attribute[1]] = decode(attribute[3] ?? attribute[4], at);
      at += attribute[0].length;
    }
    const end = /^\s*(\/?)>/.exec(source.slice(at)) ?? fail('tag not ended by > or />');
    at += end[0].length;
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else root = element;
    if (end[1] !== '/') stack.push(element);
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1].name}> is never closed`);
  return root ?? fail('no root element');
}

/** All descendants named `name`, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);
}
