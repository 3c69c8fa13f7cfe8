// Writing a command's output: to stdout, or atomically to a file (temp file + rename, never half a report).
import { constants } from 'node:fs';
import { access, lstat, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errnoCode, LocalizedError, UsageError } from '../errors.js';
import { isTextCode, type Message, messageText, msg } from '../messages/index.js';
import type { Lang } from '../report/i18n/types.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import { inBatches } from '../state/text-batches.js';

/** Why a file cannot be written, in words that name the path the user gave (never the temp file beside it). */
function cannotWrite(file: string, code: string | undefined): Message {
  const directory = dirname(resolve(file));
  const reasonCode = `output.reason.${code === 'EPERM' ? 'EACCES' : code}`;
  const reason = isTextCode(reasonCode)
    ? msg(reasonCode, { directory })
    : code
      ? msg('output.reason.other', { code })
      : msg('output.reason.unknown');
  return msg('output.cannot-write', { file, reason });
}

async function mustBeWritable(file: string, path: string, mode: number): Promise<void> {
  try {
    await access(path, mode);
  } catch (error) {
    throw new UsageError(cannotWrite(file, errnoCode(error)));
  }
}

/** Checked before a run that may take minutes: the report's file can be written. */
export async function checkOutputFile(file: string): Promise<void> {
  const target = await lstat(file).catch(() => undefined);
  if (target?.isDirectory()) throw new UsageError(cannotWrite(file, 'EISDIR'));
  // /dev/null, a FIFO, a symlink: written in place (as writeFileAtomic does), so the file itself must be writable.
  if (target && !target.isFile()) return mustBeWritable(file, file, constants.W_OK);
  const directory = dirname(resolve(file));
  const kind = await stat(directory).catch(() => undefined);
  if (!kind) throw new UsageError(cannotWrite(file, 'ENOENT'));
  if (!kind.isDirectory()) throw new UsageError(cannotWrite(file, 'ENOTDIR'));
  return mustBeWritable(file, directory, constants.W_OK | constants.X_OK);
}

/** writeFileAtomic, its errors naming the file asked for. */
export function writeOutputFile(file: string, text: string | Iterable<string>): void {
  try {
    writeFileAtomic(file, text);
  } catch (error) {
    const code = errnoCode(error);
    if (code === undefined) throw error;
    throw new LocalizedError(cannotWrite(file, code));
  }
}

/** Writes to stdout and waits until it is flushed, so a following process.exit loses nothing. */
export function printOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)) resolve();
    else process.stdout.once('drain', resolve);
  });
}

/**
 * printOut for a text in pieces (a big report): small pieces joined into batches of 64 Ki characters
 * (a JSON report's pieces are that big already), each waited out before the next.
 */
export async function printChunks(pieces: Iterable<string>): Promise<void> {
  let last = '';
  for (const batch of inBatches(pieces)) {
    last = batch;
    if (!process.stdout.write(batch)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  if (!last.endsWith('\n')) await printOut('');
}

/** A one-line note on stderr, beside a command's output: something the user should know, in their language. */
export function printNote(lang: Lang, text: Message): void {
  process.stderr.write(`${messageText(lang, text)}\n`);
}

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

/** The zone human reports show times in: the machine's, as TZ or /etc/localtime set it (renderers are pure). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
