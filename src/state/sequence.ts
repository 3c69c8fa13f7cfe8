// The agent instance's report sequence (seq 1, 2, 3 …): each number is written to the state dir
// before it is handed out, so a crash or kill -9 can leave a gap but never a number used twice.
import { open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, isDiskFull } from '../errors.js';
import { isTempName, writeFileDurable } from './durable-file.js';

export const SEQUENCE_FILE_NAME = 'sequence.json';

/** A sequence file that cannot be read as one: handing out numbers again from a guess could reuse one. */
export const SEQUENCE_DAMAGED = 'B321_SEQUENCE_DAMAGED';

export interface Sequence {
  /** The next number, already durable in the state dir when the promise resolves. */
  next(): Promise<number>;
  /** The last number handed out (0 before the first). */
  last(): number;
}

export interface SequenceOptions {
  /**
   * The highest seq known elsewhere in the state dir (the outbox's and dead letters' reports): when
   * the sequence file is missing (deleted by hand), numbering goes on above it instead of from 1.
   */
  atLeast?: number;
}

interface SequenceFile {
  last: number;
}

/**
 * The file's text is always this long (JSON, then spaces): a number written over the last one in place
 * then needs no new block, so a full state dir still numbers its reports (see next()).
 */
const SEQUENCE_FILE_BYTES = 64;

const sequenceText = (last: number): string => {
  const json = JSON.stringify({ last } satisfies SequenceFile);
  return `${json.padEnd(SEQUENCE_FILE_BYTES - 1, ' ')}\n`;
};

/**
 * The number written over the file's first bytes and synced: on a full filesystem a new temp file
 * cannot be made, but the file's own block is there. One write within one sector, so a crash leaves
 * the old number or the new one.
 */
async function overwriteInPlace(path: string, text: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.write(text, 0);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Reads `<stateDir>/sequence.json`. A missing file starts at `atLeast` (0: the first seq is 1);
 * a file that is not `{"last": <integer ≥ 0>}` is refused with SEQUENCE_DAMAGED rather than guessed
 * at: the highest seq still in the outbox may be below numbers already acknowledged and removed.
 */
export async function openSequence(stateDir: string, options: SequenceOptions = {}): Promise<Sequence> {
  const path = join(stateDir, SEQUENCE_FILE_NAME);
  await removeTempFiles(stateDir);
  let last = Math.max(0, options.atLeast ?? 0);
  const stored = await readStored(path);
  if (stored !== undefined) last = Math.max(last, stored);
  // One number at a time: a second caller waits for the first's write.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    next() {
      const taken = queue.then(async () => {
        const candidate = last + 1;
        const text = sequenceText(candidate);
        try {
          await writeFileDurable(path, text);
        } catch (error) {
          // A first number (no file yet) has no block to write over: that stays refused.
          if (!isDiskFull(error)) throw error;
          await overwriteInPlace(path, text).catch(() => Promise.reject(error));
        }
        last = candidate;
        return candidate;
      });
      queue = taken.catch(() => undefined);
      return taken;
    },
    last: () => last,
  };
}

/** A write a crash cut short leaves its temp file; the number it was writing was never handed out. */
async function removeTempFiles(stateDir: string): Promise<void> {
  const prefix = `.${SEQUENCE_FILE_NAME}.`;
  for (const name of await readdir(stateDir)) {
    if (name.startsWith(prefix) && isTempName(name)) await unlink(join(stateDir, name)).catch(() => undefined);
  }
}

async function readStored(path: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const value = (parsed as Partial<SequenceFile> | undefined)?.last;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw Object.assign(
      new Error(
        `${path} is damaged (expected {"last": N}); report numbers cannot go on from it safely. ` +
          'Write {"last": N} there with N at least the last seq the collector received, or remove it to continue above the reports still in the outbox',
      ),
      { code: SEQUENCE_DAMAGED, path },
    );
  }
  return value;
}
