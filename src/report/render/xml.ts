// XML 1.0 escaping for the JUnit renderer: markup characters, and the characters XML 1.0 cannot carry at all.

/**
 * XML 1.0 forbids C0 controls other than tab/newline/CR (not even as &#x1B;), U+FFFE/U+FFFF and unpaired
 * surrogates; one such byte in a file name would make the whole report unparseable for the CI server.
 */
function replaceForbidden(text: string): string {
  let kept = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        kept += text.slice(i, i + 2);
        i++;
      } else {
        kept += '\ufffd';
      }
    } else if ((code >= 0xdc00 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) {
      kept += '\ufffd';
    } else if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) {
      // Controls stay visible as \xNN so the evidence still says what was there.
      kept += `\\x${code.toString(16).padStart(2, '0')}`;
    } else {
      kept += text[i];
    }
  }
  return kept;
}

/** Escapes character data (element content). CR is kept as a reference because parsers normalise a raw one. */
export function xmlText(text: string): string {
  return replaceForbidden(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Escapes an attribute value for double quotes; tab and newlines as references survive attribute normalisation. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** `<name a="1" b="2">` with escaped values; `close` makes it self-closing. */
export function xmlTag(name: string, attributes: Record<string, string | number>, close = false): string {
  const attrs = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${xmlAttr(String(value))}"`)
    .join('');
  return `<${name}${attrs}${close ? '/>' : '>'}`;
}
