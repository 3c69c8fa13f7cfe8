// An operator's log (offline media, restore drills) read whole on a reading thread, never on the run's
// own: a log on a hung network mount makes its location not answering, within its readTimeout,
// instead of holding the process.
import { formatDuration } from '../../config/units.js';
import type { SourceIssue } from '../../model.js';
import { sourceIssue } from '../../issues.js';
import { LocationNotAnswering, locationReader, walkPoolFor } from '../disk/walk-pool.js';
import type { WalkPool } from '../disk/walk-types.js';

/** Years of events fit; a file bigger than this is no log (and would not fit in one string). */
export const MAX_LOG_BYTES = 256 * 1024 ** 2;

export interface LogTextOptions {
  /** The run's reading threads; without them, a thread for this read alone. */
  walkers?: WalkPool | undefined;
  /** Who reads, for the issue: a location id, or "restore-drills". */
  reader: string;
  readTimeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** The read failed: `code` is an errno (ENOENT, EACCES …), EFBIG, SPECIAL or EISDIR. */
export class LogReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LogReadError';
  }
}

/**
 * The log's text. Rejects with a LogReadError (the file's failure), with the location's
 * B321_NOT_ANSWERING issue as a NotAnsweringIssue, or with the run's AbortError.
 */
export async function readLogText(path: string, options: LogTextOptions): Promise<string> {
  const walkers = options.walkers ?? walkPoolFor(1);
  const reader = locationReader(options.reader, options.readTimeoutMs);
  try {
    options.signal?.throwIfAborted();
    const read = walkers.probe({ probe: 'read-text', path, limit: MAX_LOG_BYTES }, reader);
    const answer = await (options.signal ? untilAborted(read, options.signal) : read);
    if (answer.error) throw new LogReadError(answer.error.code, answer.error.message);
    if (answer.text === undefined) {
      throw new LogReadError('EFBIG', `${path} is larger than ${MAX_LOG_BYTES} bytes: not a log this tool reads`);
    }
    return answer.text;
  } catch (error) {
    if (error instanceof LocationNotAnswering) {
      const within = formatDuration(options.readTimeoutMs);
      throw new NotAnsweringIssue(
        sourceIssue('B321_NOT_ANSWERING', { root: path, path, within }, { severity: 'error', path }),
      );
    }
    throw error;
  } finally {
    if (!options.walkers) await walkers.close();
  }
}

/** The issue of a log that did not answer, carried by the rejection. */
export class NotAnsweringIssue extends Error {
  constructor(readonly issue: SourceIssue) {
    super(`${issue.path} did not answer`);
    this.name = 'NotAnsweringIssue';
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
