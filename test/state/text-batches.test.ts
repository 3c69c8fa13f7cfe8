// Pieces of text joined into batches, or written through one buffer: nothing lost, nothing reordered.
import t, { type Test } from 'tap';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inBatches, writePieces } from '../../src/state/text-batches.js';

t.test('joins pieces until a batch holds at least the size asked; the last holds the rest', async (t) => {
  t.same([...inBatches(['ab', 'cd', 'e', 'fgh', 'i'], 4)], ['abcd', 'efgh', 'i']);
  t.same([...inBatches(['toolong', 'x'], 4)], ['toolong', 'x'], 'a long piece is a batch of its own');
  t.same([...inBatches([], 4)], [], 'no pieces, no batch');
  t.same([...inBatches(['', ''], 4)], [], 'empty pieces make no empty batch');
});

/** What writePieces leaves in a fresh file. */
function written(t: Test, pieces: Iterable<string>): Buffer {
  const file = join(t.testdir(), 'out');
  const fd = openSync(file, 'w');
  try {
    writePieces(fd, pieces);
  } finally {
    closeSync(fd);
  }
  return readFileSync(file);
}

t.test('writes every piece as UTF-8, in order, across the buffer’s edge and past its size', async (t) => {
  // Characters of 1, 2, 3 and 4 bytes (a surrogate pair), in pieces that fill the MiB buffer unevenly.
  const pieces = Array.from({ length: 4000 }, (_, i) => `${i}: a é ✓ 😀 Tiếng Việt\n`.repeat(1 + (i % 37)));
  t.same(written(t, pieces), Buffer.from(pieces.join(''), 'utf8'));
  const huge = ['head\n', '✓'.repeat(1 << 20), 'x'.repeat(3 << 20), '', 'tail\n'];
  t.same(written(t, huge), Buffer.from(huge.join(''), 'utf8'), 'a piece bigger than the buffer is written whole');
  t.equal(written(t, []).length, 0, 'no pieces, an empty file');
});
