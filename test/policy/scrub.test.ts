// What a deep verify within a budget reads again: the copies read longest ago first (never read before
// them), no more bytes than the budget, and every copy in its turn, run after run.
import t from 'tap';
import { chooseRereads, lastReadMs, type ScrubCandidate, scrubOrder } from '../../src/policy/scrub.js';
import { DAY, NOW, copy } from '../helpers/copies.js';

const nowMs = NOW.getTime();
const candidate = (path: string, bytes: number, daysAgo: number | undefined, location = 'local'): ScrubCandidate => ({
  location,
  path,
  bytes,
  readAtMs: daysAgo === undefined ? undefined : nowMs - daysAgo * DAY,
});
const paths = (chosen: ScrubCandidate[]) => chosen.map((c) => c.path);
const bytesOf = (chosen: ScrubCandidate[]) => chosen.reduce((sum, c) => sum + c.bytes, 0);

t.test('never read first, then the oldest read; ties by path, then location', async (t) => {
  const sorted = [
    candidate('/b/new.dump', 10, undefined),
    candidate('/b/recent.dump', 10, 2),
    candidate('s3://bucket/a.dump', 10, undefined, 'cloud'),
    candidate('/b/old.dump', 10, 40),
    candidate('/b/same.dump', 10, 20, 'nas'),
    candidate('/b/same.dump', 10, 20, 'local'),
  ].sort(scrubOrder);
  t.same(
    sorted.map((c) => `${c.location}:${c.path}`),
    [
      'local:/b/new.dump',
      'cloud:s3://bucket/a.dump',
      'local:/b/old.dump',
      'local:/b/same.dump',
      'nas:/b/same.dump',
      'local:/b/recent.dump',
    ],
  );
});

t.test('a copy that does not fit what is left is passed over; smaller ones after it may still be taken', async (t) => {
  const candidates = [
    candidate('/a', 1000, 60),
    candidate('/b', 1000, 50),
    candidate('/c', 1000, 45),
    candidate('/d', 200, 30),
    candidate('/e', 400, 20),
  ];
  const chosen = chooseRereads(candidates, 2500);
  t.same(paths(chosen), ['/a', '/b', '/d'], '/c does not fit the 500 left, /d does, /e no longer does');
  t.ok(bytesOf(chosen) <= 2500);
  t.same(paths(chooseRereads(candidates, 2000)), ['/a', '/b']);
  t.same(
    paths(chooseRereads(candidates, 10_000)),
    ['/a', '/b', '/c', '/d', '/e'],
    'a budget over the estate takes all',
  );
  t.same(chooseRereads([], 1000), []);
});

t.test('a copy bigger than the whole budget is read when it heads the order, and alone', async (t) => {
  const big = candidate('/big', 5000, 90);
  t.same(paths(chooseRereads([candidate('/a', 100, 10), big], 1000)), ['/big'], 'oldest: read, nothing else');
  t.same(
    paths(chooseRereads([candidate('/a', 100, 100), big, candidate('/b', 100, 5)], 1000)),
    ['/a', '/b'],
    'not at the head: passed over like any copy that does not fit',
  );
});

t.test('a read dated ahead of the clock counts as none: it goes first, not last', async (t) => {
  const future = copy({ hashedAt: new Date(nowMs + DAY).toISOString() });
  const skewed = copy({ hashedAt: new Date(nowMs + 60_000).toISOString() });
  t.equal(lastReadMs(future, nowMs, 300_000), undefined);
  t.equal(lastReadMs(skewed, nowMs, 300_000), nowMs + 60_000, 'within the clock skew it is a read');
  t.equal(lastReadMs(copy({ hashedAt: new Date(nowMs - DAY).toISOString() }), nowMs, 0), nowMs - DAY);
  t.equal(lastReadMs(copy({ sha256: undefined, hashedAt: undefined }), nowMs, 0), undefined, 'never read');
});

/** Runs `runs` budgeted scrubs over the candidates, one a day; what each read. */
function simulate(candidates: ScrubCandidate[], budget: number, runs: number): string[][] {
  const reads: string[][] = [];
  for (let run = 1; run <= runs; run++) {
    const at = nowMs + run * DAY;
    const chosen = chooseRereads(candidates, budget);
    for (const c of chosen) c.readAtMs = at;
    reads.push(paths(chosen));
  }
  return reads;
}

t.test('runs one after another read the whole estate in ceil(total / budget) runs', async (t) => {
  const six = Array.from({ length: 6 }, (_, i) => candidate(`/f${i}`, 1000, 100 - i));
  const reads = simulate(six, 2000, 6);
  t.same(reads.slice(0, 3), [
    ['/f0', '/f1'],
    ['/f2', '/f3'],
    ['/f4', '/f5'],
  ]);
  t.same(reads.slice(3), reads.slice(0, 3), 'then the same cycle again: each copy once per cycle');

  const seven = Array.from({ length: 7 }, (_, i) => candidate(`/f${i}`, 1000, 100 - i));
  const covered = new Set(simulate(seven, 3000, Math.ceil(7000 / 3000)).flat());
  t.equal(covered.size, 7, 'seven copies, three a run: all read within three runs');
});

t.test('no copy waits for ever, whatever the sizes (one bigger than the budget too)', async (t) => {
  const sizes = [700, 50, 1200, 300, 999, 1, 450, 5000, 640, 80, 1000, 333];
  const estate = sizes.map((bytes, i) => candidate(`/f${String(i).padStart(2, '0')}`, bytes, undefined));
  const budget = 1000;
  const runs = 40;
  const reads = simulate(estate, budget, runs);
  for (const [run, read] of reads.entries()) {
    const bytes = read.reduce((sum, path) => sum + (estate.find((c) => c.path === path)?.bytes ?? 0), 0);
    t.ok(bytes <= budget || read.length === 1, `run ${run + 1}: ${bytes} bytes, within the budget or one copy alone`);
  }
  // Each run takes at least the head of the order, and what it reads goes to the back: a copy waits at
  // most as many runs as there are copies, before its first read and between two.
  for (const c of estate) {
    const runsWithIt = reads.flatMap((read, run) => (read.includes(c.path) ? [run + 1] : []));
    const gaps = [0, ...runsWithIt, runs + 1].slice(1).map((run, i, all) => run - ([0, ...all][i] ?? 0));
    t.ok(Math.max(...gaps) <= estate.length, `${c.path} (${c.bytes} B): read in runs ${runsWithIt.join(', ')}`);
  }
});
