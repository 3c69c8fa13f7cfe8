// XML 1.0 escaping for the JUnit renderer: markup characters, and the characters XML 1.0 cannot carry at all.

/**
 * XML 1.0 forbids C0 controls other than tab/newline/CR (not even as &#x1B;), U+FFFE/U+FFFF and unpaired
 * surrogates; one such byte in a file name would make the whole report unparseable for the CI server.
 */
const FORBIDDEN =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function replaceForbidden(text: string): string {
  return text.replace(FORBIDDEN, (c) => {
    const code = c.charCodeAt(0);
    // Controls stay visible as \xNN so the evidence still says what was there; the rest become U+FFFD.
    return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : '\ufffd';
  });
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
