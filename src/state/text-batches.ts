// Many small pieces of text as fewer, bigger ones: one write per batch, not one per piece.

/** Joins consecutive pieces until a batch holds at least `atLeast` characters (the last may hold fewer). */
export function* inBatches(pieces: Iterable<string>, atLeast = 1 << 20): Generator<string> {
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
