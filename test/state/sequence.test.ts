// The report sequence: durable before each number is handed out, never reused, and a damaged file
// refused rather than restarted at 1.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { openSequence, SEQUENCE_FILE_NAME } from '../../src/state/sequence.js';

t.test('numbers go 1, 2, 3 and each is on disk when handed out; a reopened sequence goes on', async (t) => {
  const stateDir = t.testdir({});
  const sequence = await openSequence(stateDir);
  t.equal(sequence.last(), 0);
  t.equal(await sequence.next(), 1);
  t.same(JSON.parse(readFileSync(join(stateDir, SEQUENCE_FILE_NAME), 'utf8')), { last: 1 });
  t.equal(await sequence.next(), 2);
  t.equal(sequence.last(), 2);
  const again = await openSequence(stateDir);
  t.equal(await again.next(), 3);
  t.same(readdirSync(stateDir), [SEQUENCE_FILE_NAME], 'no temp file left');
});

t.test('numbers asked for at once are all different', async (t) => {
  const sequence = await openSequence(t.testdir({}));
  const numbers = await Promise.all(Array.from({ length: 20 }, () => sequence.next()));
  t.same(
    [...numbers].sort((a, b) => a - b),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
});

t.test('a missing file goes on above the reports still in the state dir', async (t) => {
  const sequence = await openSequence(t.testdir({}), { atLeast: 41 });
  t.equal(await sequence.next(), 42);
});

t.test('a file behind the outbox does not hand out a number the outbox holds', async (t) => {
  const stateDir = t.testdir({ [SEQUENCE_FILE_NAME]: '{"last": 5}' });
  const sequence = await openSequence(stateDir, { atLeast: 9 });
  t.equal(await sequence.next(), 10);
});

t.test('a damaged file is refused with a code and a way out, not restarted at 1', async (t) => {
  for (const text of ['{"last": 12', '', '{"last": -1}', '{"last": "7"}', 'null']) {
    const stateDir = t.testdir({ [SEQUENCE_FILE_NAME]: text });
    await t.rejects(
      openSequence(stateDir, { atLeast: 3 }),
      { code: 'B321_SEQUENCE_DAMAGED', message: /Write \{"last": N\}/ },
      JSON.stringify(text),
    );
    writeFileSync(join(stateDir, SEQUENCE_FILE_NAME), '{"last": 12}\n');
    t.equal(await (await openSequence(stateDir)).next(), 13, 'repaired by hand, it goes on');
  }
});
