// The watcher on real files in temp dirs with real chokidar; settle times are short, and where a test
// must not depend on the machine's load (the growing file), the settle's clock is one the test drives.
import { appendFileSync, closeSync, mkdirSync, openSync, rmSync, symlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import t from 'tap';
import { startWatch } from '../../src/agent/watch.js';
import { waitFor } from './wait-for.js';
import { watchFixture } from './watch-fixture.js';
import { inotifyWatches, watching } from './watch-helpers.js';

t.test('one inotify watch per directory within the patterns depth, none per file', async (t) => {
  const fixture = watchFixture(t);
  for (let i = 0; i < 20; i++) appendFileSync(join(fixture.local, `erp/${i}.dump`), 'x');
  const before = inotifyWatches();
  const { watch } = await watching(t, fixture, { settleMs: 100 });
  // backup/erp (not erp/old: erp/*.dump cannot match there), nas/erp and nas/erp/2026-11 (not its
  // deeper/), and the state dir that holds both logs.
  t.equal(inotifyWatches() - before, 4);
  t.equal(watch.degraded, false);
});

t.test('a watched log appended to three times gives exactly one change once it settles', async (t) => {
  const fixture = watchFixture(t);
  const { changes } = await watching(t, fixture, { settleMs: 300 });
  for (const medium of ['LTO-1', 'LTO-2', 'LTO-3']) {
    appendFileSync(fixture.offlineLog, `${JSON.stringify({ dataset: 'erp-db', medium })}\n`);
  }
  await waitFor(() => changes.length >= 1, 30_000, 'the log change');
  // Another change after it: a second call for the log would have come before this one.
  appendFileSync(fixture.drillLog, '{}\n');
  await waitFor(() => changes.length >= 2, 30_000, 'the drill log change');
  t.same(changes, [
    { locations: ['vault'], drills: false, paths: [fixture.offlineLog] },
    { locations: [], drills: true, paths: [fixture.drillLog] },
  ]);
});

t.test('a 50 MB file growing for 5 s gives no change while it grows and one after it stops', async (t) => {
  const fixture = watchFixture(t);
  // The settle's clock moves 100 ms per chunk written, so however slow the machine, the file never stands
  // still for settleMs (1 s) until the writing stops.
  let clock = 0;
  const { changes } = await watching(t, fixture, { settleMs: 1000, pollIntervalMs: 20, now: () => clock });
  const dump = join(fixture.local, 'erp/2026-12-06.dump');
  const chunk = Buffer.alloc(1024 * 1024, 7);
  const fd = openSync(dump, 'w');
  for (let i = 0; i < 50; i++) {
    writeSync(fd, chunk);
    clock += 100;
    await sleep(30);
  }
  closeSync(fd);
  t.same(changes, [], 'nothing while it grew for 5 s of the settle clock');
  const settled = async (count: number) => {
    for (const deadline = performance.now() + 30_000; changes.length < count && performance.now() < deadline; ) {
      clock += 100;
      await sleep(20);
    }
  };
  await settled(1);
  appendFileSync(join(fixture.local, 'erp/2026-12-07.dump'), 'next');
  await settled(2);
  t.same(
    changes.map((change) => change.paths),
    [[dump], [join(fixture.local, 'erp/2026-12-07.dump')]],
    'one change for the 50 MB dump, then the next file',
  );
  t.same(changes[0]?.locations, ['local']);
});

t.test('files no pattern matches, or deeper than it reaches, give nothing; a new month directory does', async (t) => {
  const fixture = watchFixture(t);
  const { changes } = await watching(t, fixture, { settleMs: 200 });
  appendFileSync(join(fixture.local, 'erp/notes.txt'), 'not a dump');
  appendFileSync(join(fixture.local, 'erp/old/2025.dump'), 'too deep for erp/*.dump');
  appendFileSync(join(fixture.nas, 'erp/2026-11/deeper/x.dump'), 'too deep for erp/*/*.dump');
  appendFileSync(join(fixture.root, 'state/state.json'), '{}');
  // A backup job making a new month's directory and its dump at once, before any watch is on it.
  mkdirSync(join(fixture.nas, 'erp/2026-12'));
  appendFileSync(join(fixture.nas, 'erp/2026-12/db.dump'), 'dump');
  await waitFor(() => changes.length >= 1, 30_000, 'the new month');
  appendFileSync(fixture.drillLog, '{}\n');
  await waitFor(() => changes.some((change) => change.drills), 30_000, 'the drill log change');
  t.same([...new Set(changes.flatMap((change) => change.locations))], ['nas'], 'only the new month counted');
  t.ok(changes.flatMap((change) => change.paths).includes(join(fixture.nas, 'erp/2026-12')));
});

t.test(
  'a location reached through a symbolic link is watched, its changes named as the config names them',
  async (t) => {
    const fixture = watchFixture(t, (root) => {
      symlinkSync(join(root, 'backup'), join(root, 'backup-link'));
      return join(root, 'backup-link');
    });
    const { changes } = await watching(t, fixture, { settleMs: 200 });
    appendFileSync(join(fixture.root, 'backup/erp/2026-12-06.dump'), 'dump');
    await waitFor(() => changes.length >= 1, 30_000, 'the change');
    t.same(changes, [
      { locations: ['local'], drills: false, paths: [join(fixture.root, 'backup-link/erp/2026-12-06.dump')] },
    ]);
  },
);

t.test('a directory missing at start is left to the schedule, said once in the log', async (t) => {
  const fixture = watchFixture(t, (root) => join(root, 'not-mounted'));
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const { watch } = await watching(t, fixture, { settleMs: 200, logger });
  t.equal(watch.degraded, false);
  const missing = lines.filter((line) => line.includes('missing at start'));
  t.equal(missing.length, 1);
  t.match(missing[0], join(fixture.root, 'not-mounted/erp'));
});

t.test('a backup removed is a change too; with nothing to watch the watcher is simply ready', async (t) => {
  const fixture = watchFixture(t);
  const dump = join(fixture.local, 'erp/2026-12-01.dump');
  appendFileSync(dump, 'old dump');
  const { changes } = await watching(t, fixture, { settleMs: 200 });
  rmSync(dump);
  await waitFor(() => changes.length >= 1, 30_000, 'the removal');
  t.same(changes, [{ locations: ['local'], drills: false, paths: [dump] }]);
  const none = startWatch({ targets: [], settleMs: 200, logger: pino({ level: 'silent' }), onSettled: () => {} });
  await none.ready;
  t.equal(none.degraded, false);
  await none.close();
});
