// Writing a command's output: to stdout, or atomically to a file (temp file + rename, never half a report).
import { inBatches } from '../state/text-batches.js';

export { writeFileAtomic } from '../state/atomic-file.js';

/** Writes to stdout and waits until it is flushed, so a following process.exit loses nothing. */
export function printOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)) resolve();
    else process.stdout.once('drain', resolve);
  });
}

/** printOut for a text in pieces (a big report): a batch at a time, each waited out before the next. */
export async function printChunks(pieces: Iterable<string>): Promise<void> {
  let last = '';
  for (const batch of inBatches(pieces)) {
    last = batch;
    if (!process.stdout.write(batch)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  if (!last.endsWith('\n')) await printOut('');
}

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

/** The zone human reports show times in: the machine's, as TZ or /etc/localtime set it (renderers are pure). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
