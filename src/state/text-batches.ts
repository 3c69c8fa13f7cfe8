// Many small pieces of text as fewer, bigger writes, without joining big pieces into bigger strings.
import { writeFileSync } from 'node:fs';

/*
 * Why no joining: a report's pieces (a JSON report's are ≥ 64 Ki characters) joined into batches of a
 * MiB lived, with the batch string, long enough for V8 to move them to the old heap, which is
 * collected only once it has grown a few times over: writing a JSON report of a million copies to a
 * file peaked at 1.70 GB that way, 1.11 GB writing each piece as it came (docs/report.md, "Big reports").
 */

/** Joins consecutive pieces until a batch holds at least `atLeast` characters (the last may hold fewer). */
export function* inBatches(pieces: Iterable<string>, atLeast = 1 << 16): Generator<string> {
  let batch: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    batch.push(piece);
    length += piece.length;
    if (length >= atLeast) {
      yield batch.join('');
      batch = [];
      length = 0;
    }
  }
  if (length > 0) yield batch.join('');
}

/** Bytes gathered before a write to the file. */
const BUFFER_BYTES = 1 << 20;

/**
 * Writes pieces of text to a file descriptor as UTF-8, a MiB at a time: each piece is encoded into one
 * buffer, reused for the whole text, and written when the next piece might not fit. A piece longer
 * than the buffer is written on its own.
 */
export function writePieces(fd: number, pieces: Iterable<string>): void {
  const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  for (const piece of pieces) {
    // A UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair, two units, takes 4).
    const most = piece.length * 3;
    if (used + most > BUFFER_BYTES && used > 0) {
      writeFileSync(fd, buffer.subarray(0, used));
      used = 0;
    }
    if (most > BUFFER_BYTES) writeFileSync(fd, piece);
    else used += buffer.write(piece, used);
  }
  if (used > 0) writeFileSync(fd, buffer.subarray(0, used));
}
