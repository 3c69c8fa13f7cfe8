// Writing a command's output: to stdout, or atomically to a file (temp file + rename, never half a report).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomic(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  renameSync(temp, file);
}

/** Writes to stdout and waits until it is flushed, so a following process.exit loses nothing. */
export function printOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)) resolve();
    else process.stdout.once('drain', resolve);
  });
}

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
