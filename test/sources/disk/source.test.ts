// The disk source: copies found by glob, recorded checksums, and every odd tree reported, never fatal.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { PooledChecksumService } from '../../../src/integrity/service.js';
import { createDiskSource } from '../../../src/sources/disk/source.js';
import type { WalkPool } from '../../../src/sources/disk/walk-pool.js';
import { settleTree } from '../../helpers/settled.js';
import { type UnprivilegedChild, unprivilegedChild } from '../../helpers/unprivileged.js';
import { mountTmpfs, rootFixturesUnavailable, scratchDir } from '../../host/root-fixtures.js';
import { backup, diskLocation, snapshotTree, sourceContext } from './context.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const here = dirname(fileURLToPath(import.meta.url));

t.test('a matched file is a file copy and a matched directory is one directory copy', async (t) => {
  const root = t.testdir({
    erp: { 'a.dump': 'AAAA', 'b.dump': 'BB', 'notes.txt': 'not a backup', 'a.dump.sha256': `${sha('AAAA')}  a.dump\n` },
    mail: { '2025-12-31': { 'inbox.mbox': 'mail one', sub: { 'sent.mbox': 'mail two' } } },
  });
  utimesSync(join(root, 'mail/2025-12-31/sub/sent.mbox'), 1_700_000_000, 1_700_000_000);
  const ctx = await sourceContext(t, [backup('erp-db', 'erp/*.dump'), backup('mail', 'mail/*')]);
  const { copies, status } = await createDiskSource(diskLocation(root, { throughputBytesPerSec: 1000 })).inventory(ctx);

  t.equal(status.status, 'ok', 'nothing odd, nothing reported');
  t.same(status.issues, []);
  t.equal(status.copies, 3);
  const a = copies.find((copy) => copy.name === 'a.dump');
  t.match(a, {
    id: `local:${root}/erp/a.dump`,
    dataset: 'erp-db',
    kind: 'file',
    role: 'backup',
    bytes: 4,
    sha256: sha('AAAA'),
    offline: false,
    recorded: { value: sha('AAAA'), source: 'sidecar', ref: `${root}/erp/a.dump.sha256` },
    restore: { retrievalMs: 0, throughputBytesPerSec: 1000, throughputSource: 'configured' },
  });
  t.equal(copies.filter((copy) => copy.dataset === 'erp-db').length, 2, 'notes.txt and the sidecar are not copies');

  const mail = copies.find((copy) => copy.dataset === 'mail');
  const manifest = [`${sha('mail one')}  inbox.mbox\n`, `${sha('mail two')}  sub/sent.mbox\n`].sort().join('');
  t.match(mail, { kind: 'directory', name: '2025-12-31', bytes: 16, sha256: sha(manifest) });
  t.type(status.facts.device, 'string');
  t.equal(status.facts.medium, 'disk');
});

t.test('config medium and device override what the host says', async (t) => {
  const root = t.testdir({ 'x.tar': 'x' });
  const ctx = await sourceContext(t, [backup('files', 'x.tar')]);
  const { copies } = await createDiskSource(diskLocation(root, { medium: 'network-share', device: 'nas-1' })).inventory(
    ctx,
  );
  t.match(copies, [{ kind: 'file', medium: 'network-share', device: 'nas-1' }]);
  t.notOk(copies[0]?.restore?.throughputSource, 'no throughput unless configured');
});

t.test('the walk starts at the pattern base and goes no deeper than the pattern can match', async (t) => {
  const root = t.testdir({
    erp: { 'a.dump': 'a', old: { deeper: { 'b.dump': 'b' } } },
    other: { many: { 'c.dump': 'c' } },
  });
  const listedDirectories: number[] = [];
  const ctx = await sourceContext(t, [backup('erp-db', 'erp/*.dump')], {
    progress: (event) => {
      if (event.phase === 'walk') listedDirectories.push(event.done);
    },
  });
  const { copies } = await createDiskSource(diskLocation(root)).inventory(ctx);
  t.same(
    copies.map((copy) => copy.name),
    ['a.dump'],
  );
  t.same(listedDirectories, [1], 'only erp/ was read');
});

t.test('a pattern matching nothing is a warning for its dataset', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'A' } });
  const ctx = await sourceContext(t, [backup('erp-db', 'erp/*.dump'), backup('mail', 'mail/*.mbox', 'nothing.tar')]);
  const { copies, status } = await createDiskSource(diskLocation(root)).inventory(ctx);
  t.equal(copies.length, 1);
  t.equal(status.status, 'degraded');
  t.match(status.issues, [
    { severity: 'warning', code: 'B321_NO_MATCH', dataset: 'mail' },
    { severity: 'warning', code: 'B321_NO_MATCH', dataset: 'mail' },
  ]);
});

t.test('a missing location or a file as location is unreadable', async (t) => {
  const root = t.testdir({ file: 'x' });
  const ctx = await sourceContext(t, [backup('erp-db', '*.dump')]);
  const missing = await createDiskSource(diskLocation(join(root, 'nope'))).inventory(ctx);
  t.match(missing.status, {
    status: 'unreadable',
    copies: 0,
    issues: [{ severity: 'error', code: 'B321_LOCATION_MISSING' }],
  });
  const notDir = await createDiskSource(diskLocation(join(root, 'file'))).inventory(ctx);
  t.match(notDir.status, { status: 'unreadable', issues: [{ severity: 'error', code: 'B321_NOT_A_DIRECTORY' }] });
});

t.test('a symlink loop is a warning and the run completes', async (t) => {
  const root = t.testdir({ a: { b: { 'x.dump': 'x' } }, 'y.dump': 'y' });
  symlinkSync('../..', join(root, 'a/b/up'));
  symlinkSync('missing-target', join(root, 'a/dangling.dump'));
  const ctx = await sourceContext(t, [backup('db', '**/*.dump')]);
  const { copies, status } = await createDiskSource(diskLocation(root)).inventory(ctx);
  t.same(copies.map((copy) => copy.name).sort(), ['x.dump', 'y.dump']);
  t.equal(status.status, 'degraded');
  t.ok(status.issues.some((found) => found.code === 'B321_SYMLINK_LOOP' && found.path === join(root, 'a/b/up')));
  t.ok(status.issues.some((found) => found.code === 'B321_DANGLING_SYMLINK'));
});

t.test('symlinks are skipped when followSymlinks is off', async (t) => {
  const root = t.testdir({ real: { 'x.dump': 'x' } });
  symlinkSync('real', join(root, 'link'));
  const ctx = await sourceContext(t, [backup('db', '*/*.dump')]);
  const { copies } = await createDiskSource(diskLocation(root, { followSymlinks: false })).inventory(ctx);
  t.same(
    copies.map((copy) => copy.path),
    [join(root, 'real/x.dump')],
  );
});

t.test('recorded checksums: sidecar, mismatching sidecar, manifest, bad sidecar', async (t) => {
  const root = t.testdir({
    'ok.dump': 'ok',
    'ok.dump.sha256': `${sha('ok')}  ok.dump\n`,
    'bad.dump': 'bad',
    'bad.dump.sha256sum': `${sha('something else')} *bad.dump\n`,
    'listed.dump': 'listed',
    'garbled.dump': 'garbled',
    'garbled.dump.sha256': 'not a checksum\n',
    SHA256SUMS: `${sha('listed')}  listed.dump\n${sha('garbled')}  garbled.dump\n`,
  });
  const ctx = await sourceContext(t, [backup('db', '*.dump')]);
  const { copies, status } = await createDiskSource(diskLocation(root)).inventory(ctx);
  const byName = Object.fromEntries(copies.map((copy) => [copy.name, copy]));
  t.match(byName['ok.dump']?.recorded, { value: sha('ok'), source: 'sidecar' });
  t.match(byName['bad.dump'], { sha256: sha('bad'), recorded: { value: sha('something else'), source: 'sidecar' } });
  t.match(byName['listed.dump']?.recorded, { value: sha('listed'), source: 'manifest', ref: join(root, 'SHA256SUMS') });
  t.match(byName['garbled.dump']?.recorded, { source: 'manifest' }, 'a bad sidecar falls back to the manifest');
  t.match(status.issues, [
    { severity: 'warning', code: 'B321_BAD_SIDECAR', path: join(root, 'garbled.dump.sha256'), line: 1 },
  ]);
});

t.test('an empty directory copy, a sidecar about another file, a manifest with a bad line', async (t) => {
  const root = t.testdir({
    empty: {},
    'a.dump': 'a',
    'a.dump.sha256': `${sha('zzz')}  other.dump\n`,
    SHA256SUMS: `junk line\n${sha('a')}  a.dump\n`,
  });
  const ctx = await sourceContext(t, [backup('dirs', 'empty'), backup('db', 'a.dump')]);
  const { copies, status } = await createDiskSource(diskLocation(`${root}/`)).inventory(ctx);
  t.match(copies, [
    { kind: 'directory', name: 'empty', bytes: 0, sha256: sha('') },
    { kind: 'file', name: 'a.dump', recorded: { value: sha('a'), source: 'manifest' } },
  ]);
  t.match(status.issues, [
    { code: 'B321_BAD_SIDECAR', path: join(root, 'a.dump.sha256'), dataset: 'db' },
    { code: 'B321_BAD_MANIFEST', path: join(root, 'SHA256SUMS'), line: 1 },
  ]);
});

t.test('an aborted run ends with an error, not a crash', async (t) => {
  const root = t.testdir({ 'a.dump': 'a' });
  const controller = new AbortController();
  controller.abort();
  const ctx = await sourceContext(t, [backup('db', '*.dump')], { signal: controller.signal });
  const { copies, status } = await createDiskSource(diskLocation(root)).inventory(ctx);
  t.match(copies, [{ hashError: 'aborted' }]);
  t.match(status, { status: 'unreadable', issues: [{ severity: 'error', code: 'B321_ABORTED' }] });
});

t.test('--deep: the reading threads hash the small files, the hash threads the big one, all cached', async (t) => {
  const big = 'z'.repeat(1536 * 1024);
  const root = settleTree(t.testdir({ erp: { 'a.dump': 'aaaa', 'b.dump': 'bb', 'big.dump': big } }));
  const ctx = await sourceContext(t, [backup('erp-db', 'erp/*.dump')], { deep: true });
  const checksums = ctx.checksums as PooledChecksumService;
  const { copies } = await createDiskSource(diskLocation(root)).inventory(ctx);
  t.same(Object.fromEntries(copies.map((copy) => [copy.name, copy.sha256])), {
    'a.dump': sha('aaaa'),
    'b.dump': sha('bb'),
    'big.dump': sha(big),
  });
  t.ok(
    copies.every((copy) => /^\d{4}-\d\d-\d\dT/.test(copy.hashedAt ?? '')),
    'each has the time it was hashed',
  );
  t.same(checksums.stats(), { filesHashed: 3, bytesHashed: 6 + big.length, cacheHits: 0 });
  t.equal(checksums.poolStats().bytesRead, big.length, 'the hash threads read only the file above 1 MiB');

  const again = await createDiskSource(diskLocation(root)).inventory({ ...ctx, deep: false });
  t.same(
    again.copies.map((copy) => copy.sha256),
    copies.map((copy) => copy.sha256),
  );
  t.match(checksums.stats(), { filesHashed: 3, cacheHits: 3 }, 'the next run reads nothing: all three were cached');
});

t.test('--deep: a file two patterns of a dataset match is one copy, read and hashed once', async (t) => {
  const root = t.testdir({
    erp: { 'a.dump': 'aaaa', 'b.dump': 'bb', nested: { 'c.dump': 'ccc' } },
    mail: { 'd.dump': 'd' },
  });
  // The first pattern takes a.dump; the second matches all four, so a.dump is met twice.
  const ctx = await sourceContext(t, [backup('db', 'erp/a*.dump', '**/*.dump')], { deep: true });
  const threads = ctx.walkers as WalkPool;
  let bytesHashedByThreads = 0;
  const counting: WalkPool = {
    ...threads,
    threads: threads.threads,
    submit: (job) =>
      threads.submit(job)?.then((listing) => {
        bytesHashedByThreads += listing.bytesHashed;
        return listing;
      }),
  };
  const checksums = ctx.checksums as PooledChecksumService;
  const { copies } = await createDiskSource(diskLocation(root)).inventory({ ...ctx, walkers: counting });
  t.same(
    Object.fromEntries(copies.map((copy) => [copy.path.slice(root.length + 1), copy.sha256])),
    { 'erp/a.dump': sha('aaaa'), 'erp/b.dump': sha('bb'), 'erp/nested/c.dump': sha('ccc'), 'mail/d.dump': sha('d') },
    'each file once, with its digest',
  );
  t.equal(bytesHashedByThreads, 4 + 2 + 3 + 1, 'the reading threads read each file once (a.dump not again)');
  t.equal(checksums.poolStats().bytesRead, 0, 'and left none of them to the hash threads');
  t.same(checksums.stats(), { filesHashed: 4, bytesHashed: 10, cacheHits: 0 });
});

t.test('--deep: an abort stops the reading threads hashing; no copy is hashed after it', async (t) => {
  const tree: Record<string, Record<string, string>> = {};
  for (let d = 0; d < 30; d++) {
    tree[`d${d}`] = Object.fromEntries(Array.from({ length: 20 }, (_, f) => [`f${f}.dump`, 'x'.repeat(4096 + f)]));
  }
  const root = t.testdir(tree);
  const controller = new AbortController();
  const ctx = await sourceContext(t, [backup('db', '**/*.dump')], {
    deep: true,
    signal: controller.signal,
    // Aborted as soon as the first directory (the location itself, which holds no file) is listed.
    progress: (event) => {
      if (event.phase === 'walk') controller.abort();
    },
  });
  const { copies, status } = await createDiskSource(diskLocation(root)).inventory(ctx);
  t.equal(ctx.checksums.stats().filesHashed, 0, 'nothing hashed after the abort');
  t.ok(
    copies.every((copy) => copy.sha256 === undefined),
    'no copy carries a digest',
  );
  t.match(status, { status: 'unreadable', issues: [{ severity: 'error', code: 'B321_ABORTED' }] });
});

t.test('--deep progress counts the files the reading threads hashed, up to every file', async (t) => {
  const tree: Record<string, Record<string, string>> = {};
  for (let d = 0; d < 6; d++) {
    tree[`d${d}`] = Object.fromEntries(Array.from({ length: 100 }, (_, f) => [`f${f}.dump`, `${d}-${f}`]));
  }
  const root = t.testdir(tree);
  const hashEvents: Array<{ done: number; total?: number }> = [];
  const ctx = await sourceContext(t, [backup('db', '**/*.dump')], {
    deep: true,
    progress: ({ phase, done, total }) => {
      if (phase === 'hash') hashEvents.push(total === undefined ? { done } : { done, total });
    },
  });
  const { copies } = await createDiskSource(diskLocation(root)).inventory(ctx);
  t.equal(copies.length, 600);
  t.ok(hashEvents.length >= 3, `${hashEvents.length} progress events while hashing`);
  t.same(hashEvents.at(-1), { done: 600, total: 600 }, 'the last says every file is hashed');
  t.ok(
    hashEvents.every((event, i) => i === 0 || event.done >= (hashEvents[i - 1] as { done: number }).done),
    'never going backwards',
  );
});

t.test('a run changes nothing under the location', async (t) => {
  const root = t.testdir({
    erp: { 'a.dump': 'a'.repeat(5000), 'a.dump.sha256': `${sha('a'.repeat(5000))}  a.dump\n`, SHA256SUMS: 'junk\n' },
    mail: { d1: { m: 'm', n: { o: 'o' } } },
  });
  const before = snapshotTree(root);
  const ctx = await sourceContext(t, [backup('erp-db', 'erp/*.dump'), backup('mail', 'mail/*')], { deep: true });
  const { copies } = await createDiskSource(diskLocation(root)).inventory(ctx);
  t.equal(copies.length, 2);
  t.same(snapshotTree(root), before, 'contents and mtimes identical');
});

t.test(
  'as root: copies on a tmpfs carry another device than copies beside it',
  { skip: rootFixturesUnavailable() },
  async (t) => {
    const dir = scratchDir(t, 'b321-disk-');
    for (const sub of ['one', 'two', 'ram']) mkdirSync(join(dir, sub));
    mountTmpfs(t, join(dir, 'ram'));
    for (const sub of ['one', 'two', 'ram']) writeFileSync(join(dir, sub, 'x.dump'), 'same content');
    const ctx = await sourceContext(t, [backup('db', 'x.dump')]);
    const devices = [];
    for (const sub of ['one', 'two', 'ram']) {
      const { copies } = await createDiskSource(diskLocation(join(dir, sub), { id: sub })).inventory(ctx);
      devices.push(copies[0]?.device);
    }
    t.equal(devices[0], devices[1], 'two directories of one filesystem: one device');
    t.not(devices[2], devices[0], 'the tmpfs: another device');
  },
);

const unprivileged = unprivilegedChild();
const unprivilegedChildUnavailable = typeof unprivileged === 'string' ? unprivileged : false;

t.test('permission denied, as an unprivileged user', { skip: unprivilegedChildUnavailable }, async (t) => {
  const child = unprivileged as UnprivilegedChild;
  t.comment(`the inventory runs as ${child.who}`);
  const root = t.testdir({
    locked: { 'x.dump': 'x' },
    open: { 'secret.dump': 'secret', 'fine.dump': 'fine' },
    dirs: { d1: { 'secret.mbox': 'secret', 'fine.mbox': 'fine' } },
    state: {},
  });
  const denied = ['locked', 'open/secret.dump', 'dirs/d1/secret.mbox'].map((path) => join(root, path));
  for (const path of denied) chmodSync(path, 0o000);
  // The child may be another user (the checkout's owner): the state dir is everyone's.
  chmodSync(join(root, 'state'), 0o777);
  mkdirSync(join(root, 'state/cache'), { mode: 0o777 });
  chmodSync(join(root, 'state/cache'), 0o777);
  const location = diskLocation(root);
  const datasets = [backup('locked-db', 'locked/*.dump'), backup('open-db', 'open/*.dump'), backup('mail', 'dirs/*')];
  const inventory = child.runTypeScript([
    join(here, 'fixtures/inventory-child.ts'),
    JSON.stringify(location),
    JSON.stringify(datasets),
    join(root, 'state/cache'),
  ]);
  // Modes back at once: a user other than root could not remove a locked fixture.
  for (const path of denied) chmodSync(path, 0o755);
  t.equal(inventory.status, 0, 'the child inventory ran');
  if (inventory.status !== 0) t.comment(inventory.stderr);
  const result = JSON.parse(inventory.stdout) as import('../../../src/model.js').SourceResult;
  t.equal(result.status.status, 'unreadable', 'a dataset could not be read');
  t.ok(
    result.status.issues.some(
      (found) => found.severity === 'error' && found.code === 'B321_EACCES' && found.dataset === 'locked-db',
    ),
    'the locked directory is an error for its dataset',
  );
  t.notOk(
    result.status.issues.some((found) => found.code === 'B321_NO_MATCH'),
    'not also "no match"',
  );
  const secret = result.copies.find((copy) => copy.name === 'secret.dump');
  t.match(secret, { hashError: 'unreadable' });
  t.notOk(secret?.sha256);
  t.ok(
    result.status.issues.some((found) => found.severity === 'warning' && found.path === join(root, 'open/secret.dump')),
  );
  t.ok(result.copies.find((copy) => copy.name === 'fine.dump')?.sha256, 'the readable file is still hashed');
  const directory = result.copies.find((copy) => copy.name === 'd1');
  t.match(
    directory,
    { kind: 'directory', hashError: 'unreadable', bytes: 10 },
    'a directory with an unreadable file has no sha256',
  );
  t.notOk(directory?.sha256);
});
