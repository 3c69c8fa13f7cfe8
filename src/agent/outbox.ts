// The durable outbox: each summary report is a file in `<stateDir>/outbox` before anything sends it,
// sent oldest first, removed only once the collector has stored it, kept within bounds by dropping
// the oldest (counted, and told in the next report).
import { mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { errnoCode, errorMessage, isDiskFull } from '../errors.js';
import { isTempName, syncDirectory, writeFileDurable } from '../state/durable-file.js';
import {
  DROP_TALLY_FILE_NAME,
  type DropTally,
  NO_DROPS,
  readDropTally,
  withDropped,
  writeDropTally,
} from './drop-tally.js';
import { bySeq, type OutboxEntry, parseReportFileName, reasonFileName, reportFileName } from './outbox-entry.js';

export type { OutboxEntry } from './outbox-entry.js';
export type { DropTally } from './drop-tally.js';

export const DEFAULT_OUTBOX_BOUNDS = { maxReports: 10_000, maxBytes: 512 * 2 ** 20 };
/** How much of a refusing answer's body the dead letter's reason keeps. */
const REASON_BODY_CHARS = 4096;
const STAT_BATCH = 64;

export interface OutboxOptions {
  /** `<stateDir>/outbox`; dead letters go to `<stateDir>/dead-letter`. */
  dir: string;
  maxReports: number;
  maxBytes: number;
  logger: Logger;
  /** Each report dropped for the bounds (after the warning is logged): for a metric. */
  onDropped?: (entry: OutboxEntry) => void;
  /** Each report held in memory (the state dir full) that is lost unsent: at stop, or past the bound. */
  onHeldLost?: (entry: OutboxEntry) => void;
  /** The clock of the dead letters' reasons. */
  now?: () => number;
  /**
   * What a queued report's body told of earlier drops: when that report is dropped in turn, its count
   * goes back into the tally for the next report (else a long outage would lose all but the last ones).
   */
  toldIn?: (body: Buffer) => DropTally | undefined;
}

export interface NewReport {
  reportId: string;
  seq: number;
  /** The body (JSON), built with the drops not yet told; the tally is cleared once it is written. */
  build: (drops: DropTally) => string | Uint8Array;
}

export interface Outbox {
  readonly dir: string;
  readonly deadLetterDir: string;
  /**
   * Resolves once the report is durable on disk (temp file, fsync, rename, fsync of the directory), or,
   * when the state dir is full, held in memory until it is sent or space returns (then written).
   */
  add(report: NewReport): Promise<OutboxEntry>;
  oldest(): OutboxEntry | undefined;
  /** The oldest `limit` entries, oldest first. */
  entries(limit?: number): OutboxEntry[];
  /** The oldest entry no one is sending, now marked as being sent: a claimed entry is never dropped nor claimed again. */
  claimOldest(): OutboxEntry | undefined;
  /** Unmarks an entry whose send failed, so it is the oldest to claim again. */
  release(entry: OutboxEntry): void;
  read(entry: OutboxEntry): Promise<Buffer>;
  /** After the collector answered 201 or 200. */
  remove(entry: OutboxEntry): Promise<void>;
  /** Moves the report to dead-letter/ with `<name>.reason.json` beside it: never sent again. */
  deadLetter(entry: OutboxEntry, answer: { status: number; body: string }): Promise<void>;
  depth(): { reports: number; bytes: number };
  /** Reports in dead-letter/ (what is there, also from earlier runs). */
  deadLetters(): number;
  /** Drops not yet told. */
  drops(): DropTally;
  /** The highest seq in the outbox, dead-letter/ and the drop tally (0 if none): a floor for the sequence. */
  highestSeq(): number;
  /** Reports held in memory, not on disk (the state dir was full when they were added). */
  held(): number;
  /** The reports still held in memory are lost with the process: each is logged and counted. */
  close(): void;
}

/**
 * Reports held in memory at most (the state dir full and the collector away): the oldest is lost
 * first. At one report each 15 minutes, four days' worth.
 */
export const MAX_HELD_REPORTS = 384;

export async function openOutbox(options: OutboxOptions): Promise<Outbox> {
  const { dir, logger } = options;
  const now = options.now ?? Date.now;
  const deadLetterDir = join(dirname(dir), 'dead-letter');
  const tallyPath = join(dir, DROP_TALLY_FILE_NAME);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await mkdir(deadLetterDir, { recursive: true, mode: 0o700 });

  const stored = await readDropTally(tallyPath);
  let tally = stored.tally;
  // Counted as dropped before a crash stopped their deletion.
  const dropping = new Set(stored.dropping.filter((name) => parseReportFileName(name)));
  const queue = await loadQueue(dir, dropping, logger);
  const claimed = new Set<string>();
  let bytes = queue.reduce((sum, entry) => sum + entry.bytes, 0);
  let deadLetterCount = 0;
  let deadLetterHighest = 0;
  for (const name of await readdir(deadLetterDir)) {
    // A reason file a crash cut short: its report is still in the outbox and will be refused again.
    if (isTempName(name)) await unlink(join(deadLetterDir, name)).catch(ignoreMissing);
    const parsed = parseReportFileName(name);
    if (!parsed) continue;
    deadLetterCount++;
    deadLetterHighest = Math.max(deadLetterHighest, parsed.seq);
  }
  // Adds run one at a time: each builds its body with the tally the previous one left.
  let adding: Promise<unknown> = Promise.resolve();
  /** Bodies of the reports the full state dir could not take, by entry name, oldest first. */
  const heldBodies = new Map<string, Buffer>();

  const forget = (entry: OutboxEntry): boolean => {
    const index = queue.indexOf(entry);
    if (index < 0) return false;
    queue.splice(index, 1);
    bytes -= entry.bytes;
    claimed.delete(entry.name);
    heldBodies.delete(entry.name);
    return true;
  };

  /** Held reports written to disk now that a write succeeded: they are durable again, oldest first. */
  const writeHeld = async (): Promise<void> => {
    for (const [name, body] of [...heldBodies]) {
      if (claimed.has(name)) continue;
      try {
        await writeFileDurable(join(dir, name), body);
      } catch (error) {
        if (isDiskFull(error)) return;
        throw error;
      }
      heldBodies.delete(name);
    }
  };

  /** Keeps the report in memory: the sender reads it from there; the oldest beyond MAX_HELD_REPORTS is lost. */
  const hold = (entry: OutboxEntry, data: Uint8Array, error: unknown): void => {
    heldBodies.set(entry.name, Buffer.from(data));
    logger.warn(
      { seq: entry.seq, reportId: entry.reportId, err: errorMessage(error), held: heldBodies.size },
      'the state dir is full: the report is held in memory and sent from there; it is lost if the agent stops before it is sent',
    );
    for (const [name] of heldBodies) {
      if (heldBodies.size <= MAX_HELD_REPORTS) break;
      const oldest = queue.find((queued) => queued.name === name);
      if (!oldest || claimed.has(name)) continue;
      forget(oldest);
      lostHeld(oldest, `more than ${MAX_HELD_REPORTS} reports held in memory`);
    }
  };

  const lostHeld = (entry: OutboxEntry, why: string): void => {
    logger.error(
      { seq: entry.seq, reportId: entry.reportId, reason: 'state-dir-full' },
      `a report held in memory is lost unsent: ${why}`,
    );
    options.onHeldLost?.(entry);
  };

  /** The oldest unclaimed entries beyond the bounds, never `keep` (the report just added); taken off the queue now. */
  const takeOverBounds = (keep?: OutboxEntry): OutboxEntry[] => {
    const taken: OutboxEntry[] = [];
    for (const entry of [...queue]) {
      if (queue.length <= options.maxReports && bytes <= options.maxBytes) break;
      if (entry === keep || claimed.has(entry.name)) continue;
      forget(entry);
      taken.push(entry);
    }
    return taken;
  };

  /** Writes the tally (with the victims counted) before deleting them: a crash between counts them once. */
  const drop = async (victims: OutboxEntry[], told: boolean): Promise<void> => {
    const carried: DropTally[] = [];
    for (const entry of options.toldIn ? victims : []) {
      const body = await readFile(join(dir, entry.name)).catch(() => undefined);
      const toldThere = body && options.toldIn?.(body);
      if (toldThere) carried.push(toldThere);
    }
    const next = withDropped(told ? NO_DROPS : tally, victims, carried);
    if (next !== tally || told) {
      await writeDropTally(tallyPath, { tally: next, dropping: victims.map((entry) => entry.name) });
      tally = next;
    }
    for (const entry of victims) {
      await unlink(join(dir, entry.name)).catch(ignoreMissing);
      logger.warn(
        { seq: entry.seq, reportId: entry.reportId, bytes: entry.bytes, reason: 'outbox-full' },
        `outbox full (${options.maxReports} reports or ${options.maxBytes} bytes): dropped the oldest report, seq ${entry.seq}; the next report tells the collector`,
      );
      options.onDropped?.(entry);
    }
  };

  for (const name of dropping) await unlink(join(dir, name)).catch(ignoreMissing);
  // Bounds lowered since the last run.
  await drop(takeOverBounds(), false);

  const add = async ({ reportId, seq, build }: NewReport): Promise<OutboxEntry> => {
    const name = reportFileName(seq, reportId);
    if (queue.some((entry) => entry.seq === seq)) throw new Error(`the outbox already holds a report with seq ${seq}`);
    const told = tally;
    const body = build(told);
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    const entry: OutboxEntry = { seq, reportId, name, bytes: data.byteLength };
    try {
      await writeFileDurable(join(dir, name), data);
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      insertBySeq(queue, entry);
      bytes += entry.bytes;
      // No drop while full: the tally cannot be written, and the held reports have their own bound.
      hold(entry, data, error);
      return entry;
    }
    await writeHeld();
    insertBySeq(queue, entry);
    bytes += entry.bytes;
    const victims = takeOverBounds(entry);
    try {
      await drop(victims, told.count > 0);
    } catch (error) {
      // The tally was not written: keep the victims queued and the tally as it was (told again next time).
      for (const victim of victims) {
        insertBySeq(queue, victim);
        bytes += victim.bytes;
      }
      throw error;
    }
    return entry;
  };

  return {
    dir,
    deadLetterDir,
    add(report) {
      const added = adding.then(() => add(report));
      adding = added.catch(() => undefined);
      return added;
    },
    oldest: () => queue[0],
    entries: (limit = queue.length) => queue.slice(0, limit),
    claimOldest() {
      const entry = queue.find((queued) => !claimed.has(queued.name));
      if (entry) claimed.add(entry.name);
      return entry;
    },
    release(entry) {
      claimed.delete(entry.name);
    },
    read: async (entry) => heldBodies.get(entry.name) ?? readFile(join(dir, entry.name)),
    async remove(entry) {
      // Not synced: a removal lost in a power cut means one more send, which the collector answers 200.
      await unlink(join(dir, entry.name)).catch(ignoreMissing);
      forget(entry);
    },
    async deadLetter(entry, answer) {
      const held = heldBodies.get(entry.name);
      if (held) {
        try {
          await writeFileDurable(join(dir, entry.name), held);
          heldBodies.delete(entry.name);
        } catch (error) {
          if (!isDiskFull(error)) throw error;
          lostHeld(
            entry,
            `refused by the collector (HTTP ${answer.status}); the full state dir cannot keep it in dead-letter/`,
          );
          forget(entry);
          return;
        }
      }
      const reason = {
        seq: entry.seq,
        reportId: entry.reportId,
        status: answer.status,
        answer: answer.body.slice(0, REASON_BODY_CHARS),
        at: new Date(now()).toISOString(),
      };
      // The reason first: a crash before the move leaves the report queued, sent and refused again.
      await writeFileDurable(join(deadLetterDir, reasonFileName(entry.name)), `${JSON.stringify(reason, null, 2)}\n`);
      try {
        await rename(join(dir, entry.name), join(deadLetterDir, entry.name));
      } catch (error) {
        ignoreMissing(error);
        forget(entry);
        return;
      }
      await syncDirectory(deadLetterDir);
      await syncDirectory(dir);
      if (forget(entry)) {
        deadLetterCount++;
        deadLetterHighest = Math.max(deadLetterHighest, entry.seq);
      }
    },
    depth: () => ({ reports: queue.length, bytes }),
    deadLetters: () => deadLetterCount,
    drops: () => tally,
    highestSeq: () => Math.max(queue.at(-1)?.seq ?? 0, deadLetterHighest, tally.lastSeq ?? 0),
    held: () => heldBodies.size,
    close() {
      for (const name of heldBodies.keys()) {
        const entry = queue.find((queued) => queued.name === name);
        if (entry) lostHeld(entry, 'the agent stopped before it was sent');
      }
      heldBodies.clear();
    },
  };
}

/** The reports in the outbox, oldest first; temp files of a write a crash cut short are deleted. */
async function loadQueue(dir: string, dropping: ReadonlySet<string>, logger: Logger): Promise<OutboxEntry[]> {
  const reports: Array<{ seq: number; reportId: string; name: string }> = [];
  for (const name of await readdir(dir)) {
    if (isTempName(name)) {
      await unlink(join(dir, name)).catch(ignoreMissing);
      continue;
    }
    const parsed = parseReportFileName(name);
    if (!parsed) {
      if (name !== DROP_TALLY_FILE_NAME)
        logger.warn({ file: join(dir, name) }, 'a file in the outbox that is not a report: left alone');
      continue;
    }
    if (!dropping.has(name)) reports.push({ ...parsed, name });
  }
  // Sizes a batch at a time: one stat after another made opening 10,000 reports take 0.3 s.
  const queue: OutboxEntry[] = [];
  for (let start = 0; start < reports.length; start += STAT_BATCH) {
    const batch = reports.slice(start, start + STAT_BATCH);
    const entries = await Promise.all(
      batch.map(async (report) => ({ ...report, bytes: (await stat(join(dir, report.name))).size })),
    );
    queue.push(...entries);
  }
  return queue.sort(bySeq);
}

function insertBySeq(queue: OutboxEntry[], entry: OutboxEntry): void {
  let index = queue.length;
  while (index > 0 && (queue[index - 1] as OutboxEntry).seq > entry.seq) index--;
  queue.splice(index, 0, entry);
}

function ignoreMissing(error: unknown): void {
  if (errnoCode(error) !== 'ENOENT') throw error;
}
