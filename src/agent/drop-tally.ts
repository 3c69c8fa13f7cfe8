// Reports dropped from a full outbox and not yet told to the collector: kept in `outbox/drops.json`
// until a report carrying them is written, so a drop is never lost from the count.
import { readFile } from 'node:fs/promises';
import { errnoCode } from '../errors.js';
import { writeFileDurable } from '../state/durable-file.js';
import type { OutboxEntry } from './outbox-entry.js';

export const DROP_TALLY_FILE_NAME = 'drops.json';

export const DROP_REASONS = ['outbox-full'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** What the next report says of the reports dropped since the last one told. */
export interface DropTally {
  reason: DropReason;
  /** 0: nothing dropped since the last report told. */
  count: number;
  firstSeq: number | null;
  lastSeq: number | null;
}

/**
 * On disk: the tally, and the files being dropped now. The tally is written before they are deleted,
 * so a crash between leaves them counted, and opening deletes what `dropping` still names.
 */
export interface DropTallyFile {
  tally: DropTally;
  dropping: string[];
}

export const NO_DROPS: DropTally = Object.freeze({ reason: 'outbox-full', count: 0, firstSeq: null, lastSeq: null });

/**
 * The tally with these reports dropped, and with what they told of earlier drops (`told`): a report that
 * carried a tally and is dropped in turn hands it back, or those earlier drops would never be told.
 */
export function withDropped(
  tally: DropTally,
  dropped: readonly OutboxEntry[],
  told: readonly DropTally[] = [],
): DropTally {
  if (dropped.length === 0) return tally;
  const carried = told.filter((t) => t.count > 0);
  const seqs = [
    ...dropped.map((entry) => entry.seq),
    ...carried.flatMap((t) => [t.firstSeq, t.lastSeq].filter((seq): seq is number => seq !== null)),
  ];
  return {
    reason: 'outbox-full',
    count: tally.count + dropped.length + carried.reduce((sum, t) => sum + t.count, 0),
    firstSeq: Math.min(tally.firstSeq ?? Number.POSITIVE_INFINITY, ...seqs),
    lastSeq: Math.max(tally.lastSeq ?? 0, ...seqs),
  };
}

/** What a summary report's body told of drops (its `delivery`), for the outbox's `toldIn`. */
export function toldInSummary(body: Buffer): DropTally | undefined {
  let delivery: { droppedReports?: unknown; firstDroppedSeq?: unknown; lastDroppedSeq?: unknown } | undefined;
  try {
    delivery = (JSON.parse(body.toString('utf8')) as { delivery?: typeof delivery }).delivery;
  } catch {
    return undefined;
  }
  const count = delivery?.droppedReports;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count <= 0) return undefined;
  const seq = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : null);
  return {
    reason: 'outbox-full',
    count,
    firstSeq: seq(delivery?.firstDroppedSeq),
    lastSeq: seq(delivery?.lastDroppedSeq),
  };
}

export const OUTBOX_DAMAGED = 'B321_OUTBOX_DAMAGED';

export async function readDropTally(path: string): Promise<DropTallyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { tally: NO_DROPS, dropping: [] };
    throw error;
  }
  const file = parseOrUndefined(text);
  if (!file) {
    // Written whole by rename: damage is from outside, and guessing would lose or invent drops.
    throw Object.assign(
      new Error(
        `${path} is damaged: the count of dropped reports not yet told is unknown; move it away to start the count again`,
      ),
      { code: OUTBOX_DAMAGED, path },
    );
  }
  return file;
}

export function writeDropTally(path: string, file: DropTallyFile): Promise<void> {
  return writeFileDurable(path, `${JSON.stringify(file)}\n`);
}

function parseOrUndefined(text: string): DropTallyFile | undefined {
  let parsed: Partial<DropTallyFile>;
  try {
    parsed = JSON.parse(text) as Partial<DropTallyFile>;
  } catch {
    return undefined;
  }
  const tally = parsed?.tally;
  const isSeq = (value: unknown) => value === null || (typeof value === 'number' && Number.isSafeInteger(value));
  if (
    tally?.reason !== 'outbox-full' ||
    typeof tally.count !== 'number' ||
    !Number.isSafeInteger(tally.count) ||
    tally.count < 0 ||
    !isSeq(tally.firstSeq) ||
    !isSeq(tally.lastSeq) ||
    !Array.isArray(parsed.dropping) ||
    !parsed.dropping.every((name) => typeof name === 'string')
  ) {
    return undefined;
  }
  return { tally, dropping: parsed.dropping };
}
