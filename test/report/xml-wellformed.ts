// A small strict XML 1.0 reader for tests: throws on anything a CI server's parser would reject, returns the tree.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Offset of the first character XML 1.0 does not allow (C0 controls but tab/LF/CR, U+FFFE/F, lone surrogates), or -1. */
function forbiddenAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if ((code >= 0xdc00 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) {
      return i;
    } else if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) {
      return i;
    }
  }
  return -1;
}
const NAME = /^[A-Za-z_:][\w.:-]*/;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  return text.replace(/&([^;&<]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare & near offset ${at}`);
    if (ref in NAMED) return NAMED[ref] as string;
    const num = /^#(\d+)$/.exec(ref) ?? null;
    const hex = /^#x([0-9a-fA-F]+)$/.exec(ref) ?? null;
    const code = num ? Number(num[1]) : hex ? Number.parseInt(hex[1] as string, 16) : Number.NaN;
    if (Number.isNaN(code)) throw new Error(`unknown entity ${whole} near offset ${at}`);
    const char = String.fromCodePoint(code);
    if (forbiddenAt(char) !== -1) throw new Error(`forbidden character reference ${whole} near offset ${at}`);
    return char;
  });
}

export function parseXml(xml: string): XmlElement {
  const bad = forbiddenAt(xml);
  if (bad !== -1) throw new Error(`forbidden character U+${xml.charCodeAt(bad).toString(16)} at offset ${bad}`);
  let pos = 0;
  if (xml.startsWith('<?xml')) pos = xml.indexOf('?>') + 2;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const text = xml.slice(pos, lt === -1 ? xml.length : lt);
    if (text.includes('>') && text.includes(']]>')) throw new Error(`]]> in text at ${pos}`);
    const parent = stack[stack.length - 1];
    if (parent) parent.text += decode(text, pos);
    else if (text.trim()) throw new Error(`text outside the root element at ${pos}`);
    if (lt === -1) break;
    pos = lt;
    if (xml.startsWith('<!--', pos)) {
      const end = xml.indexOf('-->', pos);
      if (end === -1) throw new Error('unclosed comment');
      pos = end + 3;
      continue;
    }
    if (xml.startsWith('</', pos)) {
      const match = /^<\/([A-Za-z_:][\w.:-]*)\s*>/.exec(xml.slice(pos));
      const open = stack.pop();
      if (!match || !open || open.name !== match[1]) throw new Error(`mismatched close tag at ${pos}`);
      pos += match[0].length;
      continue;
    }
    pos += 1;
    const name = NAME.exec(xml.slice(pos))?.[0];
    if (!name) throw new Error(`bad tag name at ${pos}`);
    pos += name.length;
    const element: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      const rest = xml.slice(pos);
      const end = /^\s*(\/?)>/.exec(rest);
      if (end) {
        pos += end[0].length;
        if (parent) parent.children.push(element);
        else if (root) throw new Error('second root element');
        else root = element;
        if (!end[1]) stack.push(element);
        break;
      }
      const attr = /^\s+([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/.exec(rest);
      if (!attr) throw new Error(`bad attribute in <${name}> at ${pos}`);
      const key = attr[1] as string;
      if (key in element.attrs) throw new Error(`duplicate attribute ${key} in <${name}>`);
      element.attrs[key] = decode(attr[2] ?? attr[3] ?? '', pos);
      pos += attr[0].length;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element with this name, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found = element.name === name ? [element] : [];
  for (const child of element.children) found.push(...findAll(child, name));
  return found;
}
