// Pieces of text joined into batches: nothing lost, nothing reordered, each batch big enough.
import t from 'tap';
import { inBatches } from '../../src/state/text-batches.js';

t.test('joins pieces until a batch holds at least the size asked; the last holds the rest', async (t) => {
  t.same([...inBatches(['ab', 'cd', 'e', 'fgh', 'i'], 4)], ['abcd', 'efgh', 'i']);
  t.same([...inBatches(['toolong', 'x'], 4)], ['toolong', 'x'], 'a long piece is a batch of its own');
  t.same([...inBatches([], 4)], [], 'no pieces, no batch');
  t.same([...inBatches(['', ''], 4)], [], 'empty pieces make no empty batch');
});
