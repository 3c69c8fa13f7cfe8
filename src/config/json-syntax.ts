// Where and why a config file is not JSON. JSON.parse says nothing of the place for some mistakes (a
// truncated file, a bare word) and quotes the whole file for others, so a failed parse is read again here.
import { jsonPath } from './json-path.js';

export interface JsonSyntaxError {
  line: number;
  column: number;
  /** The JSON path of the value being read where the text went wrong ("" at the top). */
  path: string;
  message: string;
  hint: string;
}

interface Failure {
  offset: number;
  message: string;
  hint: string;
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
  const at = (offset: number) => {
    const { line, column } = lineAndColumn(text, offset);
    return `line ${line}, column ${column}`;
  };
  const fail = (offset: number, message: string, hint: string): never => {
    throw { offset, message, hint, path: [...path] } satisfies Failure;
  };
  const skipWhitespace = () => {
    while (i < text.length && WHITESPACE.has(text[i] as string)) i++;
  };
  /** The word or character at `i`, as a user would name it. */
  const found = (): string => {
    if (i >= text.length) return 'the end of the file';
    // A string is shown as written, quotes and all (its first 40 characters).
    if (text[i] === '"') return /"[^"\n]{0,40}"?/y.exec(text.slice(i))?.[0] ?? '"';
    const word = /[A-Za-z0-9_$.+-]+/y;
    word.lastIndex = i;
    return JSON.stringify(word.exec(text)?.[0] ?? text[i]);
  };
  const notValue = (where: string): never => {
    const c = text[i];
    if (c === '/') fail(i, 'a comment: JSON has no comments', 'remove it');
    if (c === "'") fail(i, 'a string in single quotes', 'JSON strings take double quotes: "…"');
    if (c !== undefined && /[A-Za-z_$]/.test(c))
      fail(i, `the bare word ${found()}`, 'put text in double quotes; true, false and null are written in lower case');
    return fail(i, `expected ${where}, found ${found()}`, 'write a "string", a number, true, false, null, {…} or […]');
  };
  const unclosed = (what: 'object' | 'array', openedAt: number): never =>
    fail(
      text.length,
      `the file ends inside the ${what} opened at ${at(openedAt)}`,
      `add the missing "${what === 'object' ? '}' : ']'}" (or the rest of the file, if it was cut short)`,
    );

  const readString = (): string => {
    const start = i++;
    let value = '';
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return value;
      }
      if (c === '\n' || c === '\r')
        fail(i, `a line break inside the string that starts at ${at(start)}`, 'close the string with " on its line');
      if (c < ' ') fail(i, 'a control character inside a string', 'write it as an escape such as \\t');
      if (c === '\\') {
        const escaped = text[i + 1];
        if (escaped === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped))
          return fail(
            i,
            `the escape "\\${escaped ?? ''}" is not valid JSON`,
            'write a backslash as "\\\\" (or a path with "/")',
          );
        value += ESCAPES[escaped] ?? escaped;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    return fail(start, `the string that starts at ${at(start)} is never closed`, 'close it with "');
  };

  const readNumber = () => {
    const number = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    number.lastIndex = i;
    const match = number.exec(text);
    const after = text[number.lastIndex];
    if (!match || (after !== undefined && /[0-9.eE+-]/.test(after))) {
      const token = /[-+0-9.eE]+/y;
      token.lastIndex = i;
      fail(
        i,
        `${JSON.stringify(token.exec(text)?.[0] ?? text[i])} is not a JSON number`,
        'write digits without leading zeros or a leading "+", with digits on both sides of a "."',
      );
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
        if (lastComma !== undefined)
          fail(lastComma, `a comma before "${close}"`, 'remove it: JSON allows no comma after the last entry');
        i++;
        return;
      }
      if (close === '}') {
        if (text[i] !== '"') {
          if (text[i] === "'" || text[i] === '/') notValue('a key');
          fail(i, `expected a key in double quotes, found ${found()}`, 'write keys in double quotes: "key": value');
        }
        path.push(readString());
        skipWhitespace();
        if (text[i] !== ':')
          fail(i, `expected ":" after the key ${JSON.stringify(path.at(-1))}, found ${found()}`, 'write "key": value');
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
      fail(
        i,
        `expected "," or "${close}" after this value, found ${found()}`,
        'a comma is missing between two entries',
      );
    }
  };

  const readValue = (depth: number): void => {
    if (depth > MAX_DEPTH) fail(i, `nested more than ${MAX_DEPTH} levels deep`, 'a config is a few levels deep');
    skipWhitespace();
    const c = text[i];
    if (c === undefined) fail(i, 'the file ends where a value is expected', 'complete the file');
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
    notValue('a value');
  };

  try {
    skipWhitespace();
    if (i >= text.length) fail(i, 'the file is empty', 'start from agent.config.example.json');
    readValue(0);
    skipWhitespace();
    if (i < text.length)
      fail(i, `more text after the end of the document: ${found()}`, 'the whole config is one {…} object');
    return undefined;
  } catch (thrown) {
    const failure = thrown as Failure;
    return {
      ...lineAndColumn(text, failure.offset),
      path: jsonPath(failure.path),
      message: failure.message,
      hint: failure.hint,
    };
  }
}
