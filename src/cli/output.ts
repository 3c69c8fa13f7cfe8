// Writing a command's output: to stdout, or atomically to a file (temp file + rename, never half a report).
export { writeFileAtomic } from '../state/atomic-file.js';

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
