// The disk walk over one reading thread or two: the same matches in the same order, every odd entry
// reported, nothing lost when a thread stops, and patterns that mean the same on every thread.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import t, { type Test } from 'tap';
import type { SourceIssue } from '../../../src/model.js';
import type { DirectoryJob } from '../../../src/sources/disk/directory-job.js';
import { compilePattern } from '../../../src/sources/disk/patterns.js';
import { readDirectory } from '../../../src/sources/disk/read-directory.js';
import { walkPattern } from '../../../src/sources/disk/walk.js';
import { createWalkPool, type WalkPool, walkPoolFor } from '../../../src/sources/disk/walk-pool.js';
import type { WalkMatch } from '../../../src/sources/disk/walk-types.js';
import { walkContext } from './walk-context.js';

interface Walked {
  matches: string[];
  issues: Array<Pick<SourceIssue, 'code' | 'path'>>;
  listed: string[];
}

async function walk(root: string, pattern: string, walkers: WalkPool, followSymlinks = true): Promise<Walked> {
  const walked: Walked = { matches: [], issues: [], listed: [] };
  const issues: SourceIssue[] = [];
  const ctx = walkContext(root, walkers, {
    followSymlinks,
    issues,
    listed: (directory) => walked.listed.push(directory),
  });
  await walkPattern(ctx, compilePattern(pattern), (match: WalkMatch) => {
    const described =
      match.kind === 'file' ? `${match.size}:${match.sidecars.length}:${match.manifests.length}` : 'dir';
    walked.matches.push(`${match.kind} ${match.path.slice(root.length)} ${described}`);
  });
  walked.issues = issues.map(({ code, path }) => ({ code, path: path?.slice(root.length) }));
  return walked;
}

/** A tree with every kind of entry the walk must tell apart. */
function oddTree(t: Test): string {
  const root = t.testdir({
    erp: {
      'a.dump': 'aaaa',
      'a.dump.sha256': 'x',
      'b.dump': 'bb',
      SHA256SUMS: 'y',
      'notes.txt': 'not a backup',
      old: { 'c.dump': 'c', deeper: { 'd.dump': 'dddd' } },
      '2026-01-01': { 'e.dump': 'e' },
    },
    mail: { 'f.dump': 'ffffff' },
    'g.dump': 'gg',
  });
  fs.symlinkSync(join(root, 'mail/f.dump'), join(root, 'erp/link-to-f.dump'));
  fs.symlinkSync(join(root, 'mail'), join(root, 'erp/link-to-mail'));
  fs.symlinkSync(join(root, 'nowhere.dump'), join(root, 'erp/dangling.dump'));
  fs.symlinkSync(root, join(root, 'erp/old/loop'));
  fs.symlinkSync(join(root, 'erp/a.dump.sha256'), join(root, 'erp/linked.sha256'));
  spawnSync('mkfifo', [join(root, 'erp/pipe.dump')]);
  return root;
}

const PATTERNS = ['**/*.dump', 'erp/**', 'erp/*', '*/*.dump', 'erp/old/**/*.dump', '**/2026-*'];

t.test(
  'one reading thread, two, or threads that are often full find the same, in the same order, with the same issues',
  async (t) => {
    const root = oddTree(t);
    const one = createWalkPool(1);
    const pool = createWalkPool(2);
    t.teardown(() => Promise.all([one.close(), pool.close()]));
    await Promise.all([one.ready(), pool.ready()]);
    let sent = 0;
    let refused = 0;
    const counting: WalkPool = {
      ...pool,
      submit: (job, reader) => {
        const answer = pool.submit(job, reader);
        if (answer) sent++;
        return answer;
      },
    };
    // Another location's walk holding the queues: every third directory is refused until a job is answered.
    const crowded: WalkPool = {
      ...pool,
      submit: (job, reader) => (++refused % 3 === 0 ? undefined : pool.submit(job, reader)),
      // Room again at the next turn, as when the other walk's job is answered.
      untilJobAnswered: () => new Promise((resolve) => setImmediate(() => resolve(true))),
    };
    for (const pattern of PATTERNS) {
      for (const follow of [true, false]) {
        const alone = await walk(root, pattern, one, follow);
        t.same(await walk(root, pattern, counting, follow), alone, `${pattern}, followSymlinks ${follow}`);
        t.same(await walk(root, pattern, crowded, follow), alone, `${pattern}, followSymlinks ${follow}, crowded`);
      }
    }
    t.ok(sent > 0, `the threads read ${sent} directories`);

    const all = await walk(root, '**/*.dump', counting);
    t.same(
      [...all.matches].sort(),
      [
        'file /g.dump 2:0:0',
        'file /erp/a.dump 4:1:1',
        'file /erp/b.dump 2:0:1',
        'file /erp/link-to-f.dump 6:0:1',
        'file /mail/f.dump 6:0:0',
        'file /erp/2026-01-01/e.dump 1:0:0',
        'file /erp/link-to-mail/f.dump 6:0:0',
        'file /erp/old/c.dump 1:0:0',
        'file /erp/old/deeper/d.dump 4:0:0',
      ].sort(),
      'every dump once; the fifo (a warning, below), the checksum files and notes.txt are no copies',
    );
    t.same(all.issues.map((found) => `${found.code} ${found.path}`).sort(), [
      'B321_DANGLING_SYMLINK /erp/dangling.dump',
      'B321_SPECIAL_FILE /erp/pipe.dump',
      'B321_SYMLINK_LOOP /erp/old/loop',
    ]);
  },
);

t.test('a directory of 2,500 files is stated in parts, every file once, sidecars known to every part', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 2500; i++) files[`f${String(i).padStart(4, '0')}.dump`] = 'x'.repeat(i % 7);
  files['f2499.dump.sha256'] = 'recorded';
  files.SHA256SUMS = 'manifest';
  const root = t.testdir({ big: files, small: { 'a.dump': 'a' } });
  const pool = createWalkPool(1);
  const two = createWalkPool(2);
  t.teardown(() => Promise.all([pool.close(), two.close()]));
  await Promise.all([pool.ready(), two.ready()]);
  const alone = await walk(root, '**/*.dump', pool);
  const threaded = await walk(root, '**/*.dump', two);
  t.same(threaded, alone, 'the same on one thread and on two');
  t.equal(alone.matches.length, 2501);
  t.equal(new Set(alone.matches).size, 2501, 'no file twice');
  t.ok(alone.matches.includes('file /big/f2499.dump 0:1:1'), 'the last part still sees the sidecar and the manifest');
  t.ok(alone.matches.includes('file /big/f0000.dump 0:0:1'));
  t.same(alone.listed, [root, join(root, 'big'), join(root, 'small')], 'each directory listed once');
});

t.test('a flat directory of 5,000 files: parts cut once, and the walk still pauses every few thousand', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 5000; i++) files[`f${i}.dump`] = '';
  const root = t.testdir({ flat: files });
  const pool = createWalkPool(1);
  t.teardown(() => pool.close());
  await pool.ready();
  const sent: number[] = [];
  const counting: WalkPool = {
    ...pool,
    submit: (job, reader) => {
      const answer = pool.submit(job, reader);
      if (answer && job.part) sent.push(job.part.names.length);
      return answer;
    },
  };
  let pauses = 0;
  let matches = 0;
  const ctx = walkContext(root, counting, {
    pause: async () => {
      pauses++;
    },
  });
  await walkPattern(ctx, compilePattern('**/*.dump'), () => matches++);
  t.equal(matches, 5000, 'every file once');
  t.ok(pauses >= 2, `paused ${pauses} times in one directory of 5,000`);
  t.ok(sent.length > 0, 'the thread got further parts');
  t.ok(
    sent.every((n) => n <= 1024),
    `each further part carries at most 1,024 names, not all the others (${sent.join(', ')})`,
  );
});

t.test('a file removed between the listing and its stat is reported as vanished, the rest is read', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'a', 'b.dump': 'b' } });
  // A real removal at the one moment it matters: right after readdir, before the stats.
  const racing = {
    ...fs,
    readdirSync: (path: string, options: { withFileTypes: true }) => {
      const entries = fs.readdirSync(path, options);
      fs.rmSync(join(root, 'erp/b.dump'), { force: true });
      return entries;
    },
  };
  const pool = createWalkPool(1);
  t.teardown(() => pool.close());
  // The listing read here with the racing fs; the walk's other reads (the root's stat) on the thread.
  const seam: WalkPool = { ...pool, submit: (job: DirectoryJob) => Promise.resolve(readDirectory(racing, job)) };
  const walked = await walk(root, 'erp/*.dump', seam);
  t.same(walked.matches, ['file /erp/a.dump 1:0:0']);
  t.same(walked.issues, [{ code: 'B321_VANISHED', path: '/erp/b.dump' }]);
});

t.test('a directory gone or not a directory comes back as a read error with its errno code', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'a' } });
  const read = (relative: string) =>
    readDirectory(fs, {
      path: join(root, relative),
      relative,
      subdirectoriesMayMatch: true,
      followSymlinks: true,
      pattern: compilePattern('**').rule,
      entriesPerJob: 1024,
    });
  const gone = read('gone');
  t.match(gone.error, { code: 'ENOENT' });
  t.same(gone.names, []);
  t.match(read('erp/a.dump').error, { code: 'ENOTDIR' });
  t.equal(read('erp').error, null);
});

t.test('closing the pool while it holds directories answers every one of them: listed, or cancelled', async (t) => {
  const root = t.testdir(
    Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`d${i}`, { 'x.dump': 'x'.repeat(i + 1) }])),
  );
  const pool = createWalkPool(2);
  await pool.ready();
  const rule = compilePattern('**/*.dump').rule;
  const answers: Array<Promise<{ names: string[]; stats: Float64Array; error: { code: string } | null }>> = [];
  for (let i = 0; i < 40; i++) {
    const job = {
      path: join(root, `d${i}`),
      relative: `d${i}`,
      subdirectoriesMayMatch: true,
      followSymlinks: true,
      pattern: rule,
      entriesPerJob: 1024,
    };
    const answer = pool.submit(job);
    if (answer) answers.push(answer);
  }
  t.ok(answers.length > 0, 'the pool took jobs');
  await pool.close();
  const listings = await Promise.all(answers);
  t.same(
    listings.map((listing) => (listing.error ? listing.error.code : `${listing.names.join()} ${listing.stats[2]}`)),
    listings.map((listing, i) => (listing.error ? 'ECANCELED' : `x.dump ${i + 1}`)),
    'each directory answered with its own file and size, or as cancelled',
  );
  t.equal(
    pool.submit({
      path: root,
      relative: '',
      subdirectoriesMayMatch: true,
      followSymlinks: true,
      pattern: rule,
      entriesPerJob: 1024,
    }),
    undefined,
  );
});

t.test('one core gets one reading thread (the walk never reads itself); two or more get two', async (t) => {
  const one = walkPoolFor(1);
  const four = walkPoolFor(4);
  t.equal(one.threads, 1);
  t.equal(four.threads, 2);
  await Promise.all([one.close(), four.close()]);
});

t.test('a pattern means the same as data for the threads as it does here (picomatch)', async (t) => {
  const paths = [
    'a.dump',
    'erp/a.dump',
    'erp/old/b.dump',
    '.hidden/a.dump',
    'erp/.hidden.dump',
    'erp/a.dump.sha256',
    'x/y/z-1.tar.gz',
    'x/z-12.tar.gz',
    'a/b',
    'b/c/d',
    'erp',
  ];
  const patterns = ['**/*.dump', 'erp/*.dump', '{a,b}/**', 'x/**/z-?.tar.gz', '.hidden/*', 'erp/**', '*/*'];
  for (const pattern of patterns) {
    const compiled = compilePattern(pattern);
    const regex = new RegExp(compiled.rule.source, compiled.rule.flags);
    const expected = picomatch(pattern);
    for (const path of paths) {
      const byRule = path === compiled.rule.glob || regex.test(path);
      t.equal(byRule, expected(path), `${pattern} ~ ${path} (rule)`);
      t.equal(compiled.matches(path), expected(path), `${pattern} ~ ${path} (matches)`);
    }
  }
});
