// Where and why a config file is not JSON. JSON.parse says nothing of the place for some mistakes (a
// truncated file, a bare word) and quotes the whole file for others, so a failed parse is read again here.
import { type Message, type MessageParams, msg, type ProblemCode, problemText } from '../messages/index.js';
import { jsonPath } from './json-path.js';

export interface JsonSyntaxError {
  line: number;
  column: number;
  /** The JSON path of the value being read where the text went wrong ("" at the top). */
  path: string;
  /** What is wrong, and the fix, in English; `why` renders both in any language (`code` and `code.hint`). */
  message: string;
  hint: string;
  why: Message<ProblemCode>;
}

interface Failure {
  offset: number;
  why: Message<ProblemCode>;
  path: Array<string | number>;
}

// Deeper than any config; past it the scan stops rather than overflow the stack on a hostile file.
const MAX_DEPTH = 512;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}

/** The first syntax error in `text`, or undefined when it is JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const path: Array<string | number> = [];
  let i = 0;
  const at = (offset: number) => lineAndColumn(text, offset);
  const fail = (offset: number, code: ProblemCode, params: MessageParams = {}): never => {
    throw { offset, why: { code, params }, path: [...path] } satisfies Failure;
  };
  const skipWhitespace = () => {
    while (i < text.length && WHITESPACE.has(text[i] as string)) i++;
  };
  /** The word or character at `i`, as a user would name it. */
  const found = (): string | Message => {
    if (i >= text.length) return msg('json.found.end');
    // A string is shown as written, quotes and all (its first 40 characters).
    if (text[i] === '"') return /"[^"\n]{0,40}"?/y.exec(text.slice(i))?.[0] ?? '"';
    const word = /[A-Za-z0-9_$.+-]+/y;
    word.lastIndex = i;
    return JSON.stringify(word.exec(text)?.[0] ?? text[i]);
  };
  const notValue = (where: 'json.what.value' | 'json.what.key'): never => {
    const c = text[i];
    if (c === '/') fail(i, 'json.comment');
    if (c === "'") fail(i, 'json.single-quotes');
    if (c !== undefined && /[A-Za-z_$]/.test(c)) fail(i, 'json.bare-word', { word: found() });
    return fail(i, 'json.expected-value', { what: msg(where), found: found() });
  };
  const unclosed = (what: 'object' | 'array', openedAt: number): never =>
    fail(text.length, 'json.unclosed', {
      what: msg(`json.what.${what}`),
      ...at(openedAt),
      close: what === 'object' ? '}' : ']',
    });

  const readString = (): string => {
    const start = i++;
    let value = '';
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return value;
      }
      if (c === '\n' || c === '\r') fail(i, 'json.line-break-in-string', at(start));
      if (c < ' ') fail(i, 'json.control-character');
      if (c === '\\') {
        const escaped = text[i + 1];
        if (escaped === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped))
          return fail(i, 'json.bad-escape', { escaped: escaped ?? '' });
        value += ESCAPES[escaped] ?? escaped;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    return fail(start, 'json.unclosed-string', at(start));
  };

  const readNumber = () => {
    const number = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    number.lastIndex = i;
    const match = number.exec(text);
    const after = text[number.lastIndex];
    if (!match || (after !== undefined && /[0-9.eE+-]/.test(after))) {
      const token = /[-+0-9.eE]+/y;
      token.lastIndex = i;
      fail(i, 'json.bad-number', { token: JSON.stringify(token.exec(text)?.[0] ?? text[i]) });
    }
    i = number.lastIndex;
  };

  const readMembers = (close: '}' | ']', depth: number) => {
    const what = close === '}' ? 'object' : 'array';
    const openedAt = i++;
    let lastComma: number | undefined;
    for (let index = 0; ; index++) {
      skipWhitespace();
      if (i >= text.length) unclosed(what, openedAt);
      if (text[i] === close) {
        if (lastComma !== undefined) fail(lastComma, 'json.trailing-comma', { close });
        i++;
        return;
      }
      if (close === '}') {
        if (text[i] !== '"') {
          if (text[i] === "'" || text[i] === '/') notValue('json.what.key');
          fail(i, 'json.expected-key', { found: found() });
        }
        path.push(readString());
        skipWhitespace();
        if (text[i] !== ':') fail(i, 'json.expected-colon', { key: JSON.stringify(path.at(-1)), found: found() });
        i++;
      } else {
        path.push(index);
      }
      readValue(depth + 1);
      skipWhitespace();
      if (text[i] === ',') {
        lastComma = i++;
        path.pop();
        continue;
      }
      if (text[i] === close) {
        i++;
        path.pop();
        return;
      }
      if (i >= text.length) {
        // What is left open is the object or array, not its last entry.
        path.pop();
        unclosed(what, openedAt);
      }
      fail(i, 'json.expected-comma', { close, found: found() });
    }
  };

  const readValue = (depth: number): void => {
    if (depth > MAX_DEPTH) fail(i, 'json.too-deep', { depth: MAX_DEPTH });
    skipWhitespace();
    const c = text[i];
    if (c === undefined) fail(i, 'json.ends-early');
    if (c === '{' || c === '[') {
      readMembers(c === '{' ? '}' : ']', depth);
      return;
    }
    if (c === '"') {
      readString();
      return;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      readNumber();
      return;
    }
    const literal = /(true|false|null)(?![A-Za-z0-9_$])/y;
    literal.lastIndex = i;
    if (literal.test(text)) {
      i = literal.lastIndex;
      return;
    }
    notValue('json.what.value');
  };

  try {
    skipWhitespace();
    if (i >= text.length) fail(i, 'json.empty');
    readValue(0);
    skipWhitespace();
    if (i < text.length) fail(i, 'json.trailing-text', { found: found() });
    return undefined;
  } catch (thrown) {
    const failure = thrown as Failure;
    return {
      ...lineAndColumn(text, failure.offset),
      path: jsonPath(failure.path),
      ...problemText('en', failure.why),
      why: failure.why,
    };
  }
}
