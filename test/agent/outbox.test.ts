// The durable outbox: what is on disk after each step, in what order reports come out, and how the
// bounds drop the oldest with a tally the next report carries.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DROP_TALLY_FILE_NAME } from '../../src/agent/drop-tally.js';
import { openOutbox, type DropTally } from '../../src/agent/outbox.js';
import { reportFileName } from '../../src/agent/outbox-entry.js';
import { captureLogger, newReport, reportBody, WARN } from './fixtures.js';

const open = (stateDir: string, bounds = { maxReports: 100, maxBytes: 2 ** 30 }, log = captureLogger()) =>
  openOutbox({ dir: join(stateDir, 'outbox'), ...bounds, logger: log.logger });

t.test('a report is a whole file in the outbox when add() resolves; reopened, the queue is oldest first', async (t) => {
  const stateDir = t.testdir({});
  const outbox = await open(stateDir);
  for (const seq of [3, 1, 2]) await outbox.add(newReport(seq));
  t.same(
    outbox.entries().map((e) => e.seq),
    [1, 2, 3],
  );
  const files = readdirSync(join(stateDir, 'outbox'));
  t.equal(files.length, 3, 'three report files, no temp file, no tally file while nothing was dropped');
  for (const entry of outbox.entries()) {
    const body = JSON.parse(readFileSync(join(stateDir, 'outbox', entry.name), 'utf8'));
    t.equal(body.seq, entry.seq);
    t.equal(body.reportId, entry.reportId);
    t.same((await outbox.read(entry)).toString(), readFileSync(join(stateDir, 'outbox', entry.name), 'utf8'));
  }
  const again = await open(stateDir);
  t.same(
    again.entries().map((e) => [e.seq, e.reportId, e.bytes]),
    outbox.entries().map((e) => [e.seq, e.reportId, e.bytes]),
  );
  t.equal(again.oldest()?.seq, 1);
  t.same(again.depth(), outbox.depth());
  t.equal(again.depth().reports, 3);
  t.equal(again.highestSeq(), 3);
});

t.test('opening removes the temp files a crash left and leaves foreign files alone', async (t) => {
  const stateDir = t.testdir({
    outbox: {
      [`.${reportFileName(7, 'abc')}.0a1b2c3d4e5f.tmp`]: '{"kind":"summ',
      'notes.txt': 'an operator was here',
      [reportFileName(5, 'def')]: reportBody('def', 5, {
        reason: 'outbox-full',
        count: 0,
        firstSeq: null,
        lastSeq: null,
      }),
    },
  });
  const log = captureLogger();
  const outbox = await open(stateDir, undefined, log);
  t.same(readdirSync(join(stateDir, 'outbox')).sort(), [reportFileName(5, 'def'), 'notes.txt']);
  t.same(
    outbox.entries().map((e) => e.seq),
    [5],
  );
  t.ok(log.lines().some((line) => line.level === WARN && String(line.file).endsWith('notes.txt')));
});

t.test('beyond maxReports the oldest are dropped, logged, and the next report is built with the tally', async (t) => {
  const stateDir = t.testdir({});
  const log = captureLogger();
  const dropped: number[] = [];
  const outbox = await openOutbox({
    dir: join(stateDir, 'outbox'),
    maxReports: 3,
    maxBytes: 2 ** 30,
    logger: log.logger,
    onDropped: (entry) => dropped.push(entry.seq),
  });
  const seen: DropTally[] = [];
  const add = (seq: number) => {
    const report = newReport(seq);
    return outbox.add({
      ...report,
      build: (drops) => {
        seen.push(drops);
        return report.build(drops);
      },
    });
  };
  for (const seq of [1, 2, 3, 4, 5]) await add(seq);
  t.same(
    outbox.entries().map((e) => e.seq),
    [3, 4, 5],
  );
  t.same(dropped, [1, 2]);
  const warnings = log.lines().filter((line) => line.level === WARN);
  t.same(
    warnings.map((w) => [w.seq, w.reason]),
    [
      [1, 'outbox-full'],
      [2, 'outbox-full'],
    ],
  );
  t.ok(warnings.every((w) => typeof w.reportId === 'string'));
  t.same(
    seen.slice(0, 4).map((d) => d.count),
    [0, 0, 0, 0],
  );
  t.same(seen[4], { reason: 'outbox-full', count: 1, firstSeq: 1, lastSeq: 1 }, 'seq 5 tells the drop of seq 1');
  t.same(outbox.drops(), { reason: 'outbox-full', count: 1, firstSeq: 2, lastSeq: 2 }, 'seq 2 is for the next');

  // The tally survives a restart, and the report that tells it clears it.
  const again = await openOutbox({
    dir: join(stateDir, 'outbox'),
    maxReports: 3,
    maxBytes: 2 ** 30,
    logger: log.logger,
  });
  t.same(again.drops(), { reason: 'outbox-full', count: 1, firstSeq: 2, lastSeq: 2 });
  let told: DropTally | undefined;
  const sixth = newReport(6);
  const entry = await again.add({
    ...sixth,
    build: (drops) => {
      told = drops;
      return sixth.build(drops);
    },
  });
  t.same(told, { reason: 'outbox-full', count: 1, firstSeq: 2, lastSeq: 2 });
  t.equal(JSON.parse((await again.read(entry)).toString()).outbox.dropped.count, 1, 'the body carries it');
  t.same(again.drops(), { reason: 'outbox-full', count: 1, firstSeq: 3, lastSeq: 3 }, 'cleared, then seq 3 dropped');
  t.equal(again.highestSeq(), 6);
});

t.test('maxBytes drops the oldest too, never the report just added nor one being sent', async (t) => {
  const stateDir = t.testdir({});
  const outbox = await open(stateDir, { maxReports: 100, maxBytes: 5000 });
  await outbox.add(newReport(1, 2000));
  await outbox.add(newReport(2, 2000));
  const sending = outbox.claimOldest();
  t.equal(sending?.seq, 1);
  await outbox.add(newReport(3, 2000));
  t.same(
    outbox.entries().map((e) => e.seq),
    [1, 3],
    'seq 1 is being sent, so seq 2 went',
  );
  t.ok(outbox.depth().bytes <= 5000);
  await outbox.add(newReport(4, 9000));
  t.same(
    outbox.entries().map((e) => e.seq),
    [1, 4],
    'a report bigger than the bound alone is kept: dropping it would tell nothing',
  );
  t.same(outbox.drops(), { reason: 'outbox-full', count: 1, firstSeq: 3, lastSeq: 3 });
});

t.test('lower bounds at open drop the oldest at once, counted', async (t) => {
  const stateDir = t.testdir({});
  const outbox = await open(stateDir);
  for (const seq of [1, 2, 3, 4]) await outbox.add(newReport(seq));
  const smaller = await open(stateDir, { maxReports: 2, maxBytes: 2 ** 30 });
  t.same(
    smaller.entries().map((e) => e.seq),
    [3, 4],
  );
  t.same(smaller.drops(), { reason: 'outbox-full', count: 2, firstSeq: 1, lastSeq: 2 });
  t.same(
    readdirSync(join(stateDir, 'outbox')).sort(),
    [
      reportFileName(3, smaller.entries()[0]?.reportId ?? ''),
      reportFileName(4, smaller.entries()[1]?.reportId ?? ''),
      DROP_TALLY_FILE_NAME,
    ].sort(),
  );
});

t.test(
  'a crash after the tally counted a drop but before the file went: the file goes at open, counted once',
  async (t) => {
    const stateDir = t.testdir({});
    const outbox = await open(stateDir);
    for (const seq of [1, 2]) await outbox.add(newReport(seq));
    const victim = outbox.oldest()?.name as string;
    // The state the crash leaves: drops.json written (with the victim named), the victim's file still there.
    writeFileSync(
      join(stateDir, 'outbox', DROP_TALLY_FILE_NAME),
      JSON.stringify({ tally: { reason: 'outbox-full', count: 1, firstSeq: 1, lastSeq: 1 }, dropping: [victim] }),
    );
    const again = await open(stateDir);
    t.same(
      again.entries().map((e) => e.seq),
      [2],
    );
    t.notOk(readdirSync(join(stateDir, 'outbox')).includes(victim));
    t.same(again.drops(), { reason: 'outbox-full', count: 1, firstSeq: 1, lastSeq: 1 });
  },
);

t.test('a damaged tally file is refused with a code, not guessed at', async (t) => {
  const stateDir = t.testdir({ outbox: { [DROP_TALLY_FILE_NAME]: '{"tally": {"count": "many"' } });
  await t.rejects(open(stateDir), { code: 'B321_OUTBOX_DAMAGED' });
});

t.test(
  'a dead letter moves to dead-letter/ with its reason beside it, and stays counted after a restart',
  async (t) => {
    const stateDir = t.testdir({});
    const outbox = await openOutbox({
      dir: join(stateDir, 'outbox'),
      maxReports: 10,
      maxBytes: 2 ** 30,
      logger: captureLogger().logger,
      now: () => Date.parse('2026-03-01T10:00:00Z'),
    });
    for (const seq of [1, 2]) await outbox.add(newReport(seq));
    const first = outbox.claimOldest();
    if (!first) throw new Error('no entry');
    await outbox.deadLetter(first, { status: 400, body: '{"path":"$.datasets[0].copies"}' });
    t.same(
      outbox.entries().map((e) => e.seq),
      [2],
    );
    t.equal(outbox.deadLetters(), 1);
    const deadDir = join(stateDir, 'dead-letter');
    const reasonName = first.name.replace(/\.json$/, '.reason.json');
    t.same(readdirSync(deadDir).sort(), [first.name, reasonName].sort());
    t.same(JSON.parse(readFileSync(join(deadDir, reasonName), 'utf8')), {
      seq: 1,
      reportId: first.reportId,
      status: 400,
      answer: '{"path":"$.datasets[0].copies"}',
      at: '2026-03-01T10:00:00.000Z',
    });
    t.equal(JSON.parse(readFileSync(join(deadDir, first.name), 'utf8')).seq, 1, 'the report itself, whole');
    const again = await open(stateDir);
    t.equal(again.deadLetters(), 1);
    await again.remove(again.oldest() as never);
    t.equal(again.depth().reports, 0);
    t.equal(again.highestSeq(), 1, 'the dead letter still counts for the sequence floor');
  },
);

t.test('removed reports are gone from disk and queue; claimed ones are not claimed twice', async (t) => {
  const stateDir = t.testdir({});
  const outbox = await open(stateDir);
  for (const seq of [1, 2, 3]) await outbox.add(newReport(seq));
  const a = outbox.claimOldest();
  const b = outbox.claimOldest();
  t.same([a?.seq, b?.seq], [1, 2]);
  if (!a || !b) throw new Error('no entries');
  outbox.release(a);
  t.equal(outbox.claimOldest()?.seq, 1, 'a released report is the oldest to claim again');
  await outbox.remove(a);
  await outbox.remove(b);
  t.same(
    outbox.entries().map((e) => e.seq),
    [3],
  );
  t.equal(readdirSync(join(stateDir, 'outbox')).length, 1);
  await t.rejects(outbox.add(newReport(3)), /already holds a report with seq 3/);
  await t.rejects(outbox.add({ ...newReport(4), reportId: '../escape' }), /reportId must be/);
  await t.rejects(outbox.add(newReport(0)), /seq must be an integer/);
  t.equal(readdirSync(join(stateDir, 'outbox')).length, 1, 'nothing written for a refused report');
});
