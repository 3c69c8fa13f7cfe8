// A Node system error ("ENOENT: no such file or directory, open '/x'") as a catalog message, so it reads in the
// user's language; any other error, or one worded otherwise, is shown in its own words.
import { isTextCode, type MessageParam, messageText, msg } from './index.js';

export function systemError(error: unknown): MessageParam {
  const text = error instanceof Error ? error.message : String(error);
  const { code, syscall, path } = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const known = `system.${String(code)}`;
  if (!isTextCode(known) || typeof code !== 'string' || typeof syscall !== 'string' || typeof path !== 'string') {
    return text;
  }
  const message = msg(known, { errno: code, syscall, path });
  // Node's wording is what the English template rebuilds; a message that differs (a rename's second
  // path, a newer Node) keeps its own words rather than lose a part.
  return messageText('en', message) === text ? message : text;
}
