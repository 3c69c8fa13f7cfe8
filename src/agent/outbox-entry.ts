// A queued report's file name: its seq, zero-padded so names sort as seqs do, and its reportId.
export interface OutboxEntry {
  readonly seq: number;
  readonly reportId: string;
  /** File name in the outbox (and in dead-letter/ once moved there). */
  readonly name: string;
  /** Bytes of the body on disk. */
  readonly bytes: number;
}

const SEQ_DIGITS = 12;
/** Letters, digits, `-` and `_` (a uuid fits): no dot, so `<name>.reason.json` never reads as a report. */
const REPORT_ID = /^[A-Za-z0-9_-]{1,128}$/;
const REPORT_NAME = /^(\d{12})-([A-Za-z0-9_-]{1,128})\.json$/;

export function reportFileName(seq: number, reportId: string): string {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq >= 10 ** SEQ_DIGITS) {
    throw new RangeError(`seq must be an integer from 1 to ${10 ** SEQ_DIGITS - 1}, got ${seq}`);
  }
  if (!REPORT_ID.test(reportId)) {
    throw new RangeError(`reportId must be 1 to 128 letters, digits, - or _, got ${JSON.stringify(reportId)}`);
  }
  return `${String(seq).padStart(SEQ_DIGITS, '0')}-${reportId}.json`;
}

/** The seq and reportId a report file's name holds, or undefined for any other file. */
export function parseReportFileName(name: string): { seq: number; reportId: string } | undefined {
  const match = REPORT_NAME.exec(name);
  if (!match) return undefined;
  const seq = Number(match[1]);
  return seq >= 1 ? { seq, reportId: match[2] as string } : undefined;
}

/** The dead letter's reason file beside its report. */
export function reasonFileName(name: string): string {
  return name.replace(/\.json$/, '.reason.json');
}

export const bySeq = (a: { seq: number }, b: { seq: number }): number => a.seq - b.seq;
