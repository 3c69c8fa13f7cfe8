// Writes a whole file or nothing: temp file in the same directory, fsync, rename.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writePieces } from './text-batches.js';

/**
 * Renaming over the target would replace what is there, so a target that exists and is not a regular
 * file (`/dev/null`, a FIFO a monitoring system reads, a symlink an operator set up) is written in place.
 *
 * `text` may come in pieces (an iterable, for a report too big for one string): the file is then
 * written as they come, a MiB at a time. A piece that throws leaves a regular file as it was (the temp file is
 * removed); a target written in place keeps what was written before it, as stdout would.
 */
export function writeFileAtomic(file: string, text: string | Iterable<string>, mode = 0o644): void {
  const existing = lstatSync(file, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) {
    const fd = openSync(file, 'w');
    try {
      writeAll(fd, text);
    } finally {
      closeSync(fd);
    }
    return;
  }
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    writeAll(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  renameSync(temp, file);
}

/** A text, or its pieces (a report too big for one string) as they come, a MiB at a time. */
function writeAll(fd: number, text: string | Iterable<string>): void {
  // writeFileSync on a descriptor writes on until every byte is out (a FIFO may take less at a time).
  if (typeof text === 'string') writeFileSync(fd, text);
  else writePieces(fd, text);
}
