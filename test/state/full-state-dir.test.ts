// A full state dir (a small tmpfs filled to its last byte): the report sequence still hands out numbers,
// written over the file's own block, and the outbox holds what it cannot write in memory, sends it from
// there, writes it once space returns, and counts what is lost unsent. Root only (a tmpfs).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { MAX_HELD_REPORTS, openOutbox } from '../../src/agent/outbox.js';
import { openSequence, SEQUENCE_FILE_NAME } from '../../src/state/sequence.js';
import { captureLogger, newReport } from '../agent/fixtures.js';
import { cannotMountTmpfs, fillFilesystem, mountTmpfs } from '../faults/support.js';

const skip = cannotMountTmpfs();
if (skip) t.comment(`full-state-dir tests skipped: ${skip}`);

/** A 1 MiB tmpfs, unmounted at the end of the test. */
function smallStateDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'b321-small-state-'));
  const unmount = mountTmpfs(dir, '1m');
  t.teardown(() => {
    unmount();
    rmdirSync(dir);
  });
  return dir;
}

t.test(
  'the sequence goes on when the state dir is full; a first number is still refused',
  { skip: skip ?? false },
  async (t) => {
    const stateDir = smallStateDir(t);
    const sequence = await openSequence(stateDir);
    t.equal(await sequence.next(), 1);
    fillFilesystem(join(stateDir, 'filler'));
    t.equal(await sequence.next(), 2, 'a number is handed out on the full state dir');
    t.equal(await sequence.next(), 3);
    const text = readFileSync(join(stateDir, SEQUENCE_FILE_NAME), 'utf8');
    t.same(JSON.parse(text), { last: 3 }, 'the file says the last number');
    t.equal(text.length, 64, 'written over its own bytes, no longer than before');
    t.same(
      readdirSync(stateDir).filter((name) => name.endsWith('.tmp')),
      [],
      'no temp file left by the refused writes',
    );
    const reopened = await openSequence(stateDir);
    t.equal(await reopened.next(), 4, 'a reopened sequence goes on from it');

    const fresh = join(stateDir, 'fresh');
    rmSync(join(stateDir, 'filler'));
    mkdirSync(fresh);
    fillFilesystem(join(stateDir, 'filler'));
    const first = await openSequence(fresh);
    await t.rejects(first.next(), { code: 'ENOSPC' }, 'with no file yet there is no block to write over');
  },
);

t.test(
  'a full outbox holds reports in memory, sends them from there, writes them when space returns',
  { skip: skip ?? false },
  async (t) => {
    const stateDir = smallStateDir(t);
    const log = captureLogger();
    const lost: number[] = [];
    const open = () =>
      openOutbox({
        dir: join(stateDir, 'outbox'),
        maxReports: 10_000,
        maxBytes: 2 ** 30,
        logger: log.logger,
        onHeldLost: (entry) => lost.push(entry.seq),
      });
    const outbox = await open();
    await outbox.add(newReport(1));
    const filler = join(stateDir, 'filler');
    fillFilesystem(filler);

    const held = await outbox.add(newReport(2));
    t.equal(outbox.held(), 1, 'the report the full disk refused is held in memory');
    t.same(
      outbox.entries().map((entry) => entry.seq),
      [1, 2],
      'and queued in seq order',
    );
    t.equal(JSON.parse((await outbox.read(held)).toString()).seq, 2, 'the sender reads it from memory');
    t.match(
      log.lines().find((line) => /held in memory/.test(String(line.msg))),
      { seq: 2, err: /ENOSPC/ },
      'logged with the reason',
    );
    t.same(
      readdirSync(join(stateDir, 'outbox')).filter((name) => name.endsWith('.tmp')),
      [],
      'no temp file left',
    );
    await outbox.add(newReport(3));
    const sent = outbox.claimOldest();
    t.equal(sent?.seq, 1);
    await outbox.remove(sent as NonNullable<typeof sent>);
    const second = outbox.claimOldest();
    t.equal(second?.seq, 2);
    await outbox.remove(second as NonNullable<typeof second>);
    t.equal(outbox.held(), 1, 'a held report sent and acknowledged is gone from memory');

    rmSync(filler);
    await outbox.add(newReport(4));
    t.equal(outbox.held(), 0, 'once a write succeeds again, the held reports are written too');
    const reopened = await open();
    t.same(
      reopened.entries().map((entry) => entry.seq),
      [3, 4],
      'and are in the outbox on disk',
    );

    fillFilesystem(filler);
    await outbox.add(newReport(5));
    outbox.close();
    t.same(lost, [5], 'a report still held when the agent stops is counted as lost');
    t.match(
      log.lines().find((line) => /lost unsent/.test(String(line.msg))),
      { seq: 5, reason: 'state-dir-full' },
    );
  },
);

t.test('held reports are bounded: the oldest held is lost first, and counted', { skip: skip ?? false }, async (t) => {
  const stateDir = smallStateDir(t);
  const lost: number[] = [];
  const outbox = await openOutbox({
    dir: join(stateDir, 'outbox'),
    maxReports: 10_000,
    maxBytes: 2 ** 30,
    logger: captureLogger().logger,
    onHeldLost: (entry) => lost.push(entry.seq),
  });
  fillFilesystem(join(stateDir, 'filler'));
  for (let seq = 1; seq <= MAX_HELD_REPORTS + 2; seq++) await outbox.add(newReport(seq));
  t.equal(outbox.held(), MAX_HELD_REPORTS);
  t.same(lost, [1, 2], 'the two oldest are lost');
  t.equal(outbox.oldest()?.seq, 3);
});
