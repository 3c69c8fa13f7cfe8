// An outage much longer than the outbox holds: the reports that told earlier drops are dropped in turn.
// What they told goes back into the tally, so the reports left (and the tally) still tell every drop,
// once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { toldInSummary, type DropTally } from '../../src/agent/drop-tally.js';
import { openOutbox } from '../../src/agent/outbox.js';
import { captureLogger } from './fixtures.js';

t.test('with maxReports 3, 20 reports: the 3 left and the tally tell all 17 drops', async (t) => {
  const dir = join(t.testdir({}), 'outbox');
  const dropped: number[] = [];
  const outbox = await openOutbox({
    dir,
    maxReports: 3,
    maxBytes: 2 ** 30,
    logger: captureLogger().logger,
    onDropped: (entry) => dropped.push(entry.seq),
    toldIn: toldInSummary,
  });
  for (let seq = 1; seq <= 20; seq++) {
    const reportId = `r-${seq}`;
    await outbox.add({
      reportId,
      seq,
      build: (drops: DropTally) =>
        JSON.stringify({
          kind: 'summary',
          reportId,
          seq,
          ...(drops.count > 0
            ? {
                delivery: {
                  droppedReports: drops.count,
                  firstDroppedSeq: drops.firstSeq,
                  lastDroppedSeq: drops.lastSeq,
                },
              }
            : {}),
        }),
    });
  }
  t.same(
    dropped,
    Array.from({ length: 17 }, (_, i) => i + 1),
    'the oldest dropped',
  );
  const left = outbox.entries().map((entry) => JSON.parse(readFileSync(join(dir, entry.name), 'utf8')));
  t.same(
    left.map((body) => body.seq),
    [18, 19, 20],
  );
  const told = left.reduce((sum, body) => sum + (body.delivery?.droppedReports ?? 0), 0) + outbox.drops().count;
  t.equal(told, 17, 'every drop is told once, by a report left or the tally');
  const ranges = [
    ...left.map((body) => body.delivery).filter(Boolean),
    {
      firstDroppedSeq: outbox.drops().firstSeq,
      lastDroppedSeq: outbox.drops().lastSeq,
    },
  ];
  t.equal(Math.min(...ranges.map((r) => r.firstDroppedSeq)), 1, 'the ranges reach back to the first drop');
  t.equal(Math.max(...ranges.map((r) => r.lastDroppedSeq)), 17, 'and up to the last');
});

t.test('toldInSummary reads a summary body’s delivery, and nothing from anything else', async (t) => {
  const body = (value: unknown) => Buffer.from(JSON.stringify(value));
  t.same(toldInSummary(body({ delivery: { droppedReports: 2, firstDroppedSeq: 4, lastDroppedSeq: 5 } })), {
    reason: 'outbox-full',
    count: 2,
    firstSeq: 4,
    lastSeq: 5,
  });
  t.equal(
    toldInSummary(body({ delivery: { droppedReports: 0, firstDroppedSeq: null, lastDroppedSeq: null } })),
    undefined,
  );
  t.equal(toldInSummary(body({ kind: 'summary' })), undefined);
  t.equal(toldInSummary(Buffer.from('{"kind":"summ')), undefined);
});
