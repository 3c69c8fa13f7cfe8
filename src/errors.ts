// Errors with stable codes that users and tests match on (like Node's ERR_* codes).
import { type Message, type MessageParams, messageText, type ProblemCode } from './messages/index.js';

export interface ConfigProblem {
  /** JSON path in the form users read: "locations[2].path", or "" for the whole document. */
  path: string;
  /** In English; `code` and `params` render it (and the hint) in the reader's language. */
  message: string;
  hint: string;
  severity: 'error' | 'warning';
  /** The catalog's code of this kind of problem (src/messages), stable for tools that match on it. */
  code: ProblemCode;
  /** The values its message and hint take. */
  params: MessageParams;
}

export class ConfigError extends Error {
  readonly code = 'B321_CONFIG';
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((p) => `  ${p.path || '(document)'}: ${p.message}${p.hint ? ` — ${p.hint}` : ''}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** An error whose words are in the message catalog: `message` is the English, `text` renders it in any language. */
export class LocalizedError extends Error {
  constructor(readonly text: Message) {
    super(messageText('en', text));
    this.name = 'LocalizedError';
  }
}

/** A command was called wrongly (an option, an argument, a value that names nothing): the user fixes the call. */
export class UsageError extends LocalizedError {
  readonly code = 'B321_USAGE';
  constructor(text: Message) {
    super(text);
    this.name = 'UsageError';
  }
}

/** A Node system error's code (ENOENT, EACCES …), or undefined. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

/** A write refused for want of space (the filesystem or the user's quota is full). */
export function isDiskFull(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
