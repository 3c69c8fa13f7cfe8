// Tests the checksum service end to end: real files, real worker threads, the cache file in a state dir.

import { execFile } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { CACHE_FILE_NAME } from '../../src/integrity/cache-file.js';
import { type ChecksumServiceOptions, createChecksumService } from '../../src/integrity/service.js';
import type { ChecksumService, FileIdentity } from '../../src/integrity/types.js';
import { settleTree } from '../helpers/settled.js';

const run = promisify(execFile);

function identity(path: string): FileIdentity {
  const st = statSync(path);
  return { path, dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs };
}

/** The service's own log lines; the host's, on how it identified a filesystem, are test/host's business. */
function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    {
      write: (line: string) => {
        const parsed = JSON.parse(line);
        if (parsed.component !== 'host') lines.push(parsed);
      },
    },
  );
  return { logger, lines };
}

function service(stateDir: string, extra: Partial<ChecksumServiceOptions> = {}) {
  return createChecksumService({ stateDir, workers: 2, logger: capturingLogger().logger, ...extra });
}

/** cached() once it can answer: the cache file loaded and the file's filesystem identified. */
async function cachedWhenReady(checksums: ChecksumService, file: FileIdentity) {
  checksums.cacheReadyFor(file);
  await checksums.untilCacheReady();
  return checksums.cached(file);
}

/** A test dir whose files were written long before the run (helpers/settled.ts says why). */
function settledDir(t: Test, tree: Parameters<Test['testdir']>[0]): string {
  return settleTree(t.testdir(tree));
}

async function sha256sum(path: string): Promise<string> {
  const { stdout } = await run('sha256sum', [path]);
  return stdout.slice(0, 64);
}

/** Deterministic, non-repeating content of `size` bytes. */
function content(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

t.test('digests equal those of the real sha256sum, across many read buffers', async (t) => {
  const dir = settledDir(t, { 'empty.dump': '', 'small.dump': 'hello\n', 'big.dump': content(300_000) });
  const checksums = await service(join(dir, 'state'), { bufferSize: 64 * 1024 });
  for (const name of ['empty.dump', 'small.dump', 'big.dump']) {
    const outcome = await checksums.hashFile(identity(join(dir, name)));
    t.match(outcome, { ok: true, sha256: await sha256sum(join(dir, name)), fromCache: false }, name);
  }
  t.same(checksums.stats(), { filesHashed: 3, bytesHashed: 300_006, cacheHits: 0 });
  await checksums.close();
});

t.test(
  'a cache loaded in the background: cached() knows nothing until it is loaded, hashFile() waits for it',
  async (t) => {
    const dir = settledDir(t, { 'a.dump': 'aaa' });
    const stateDir = join(dir, 'state');
    const file = identity(join(dir, 'a.dump'));
    const first = await service(stateDir);
    const hashed = await first.hashFile(file);
    await first.close();

    const second = await service(stateDir, { loadInBackground: true });
    t.equal(second.cached(file), undefined, 'not loaded yet: no answer rather than a wrong one');
    t.match(await second.hashFile(file), { ok: true, fromCache: true, sha256: (hashed as { sha256: string }).sha256 });
    t.match(second.cached(file), { sha256: (hashed as { sha256: string }).sha256 }, 'loaded and identified now');
    t.same(second.stats(), { filesHashed: 0, bytesHashed: 0, cacheHits: 2 }, 'nothing read again');
    await second.close();

    const closedEarly = await service(stateDir, { loadInBackground: true });
    await closedEarly.close();
    const third = await service(stateDir);
    t.match(
      await cachedWhenReady(third, file),
      { sha256: (hashed as { sha256: string }).sha256 },
      'a close during the load kept the file',
    );
    await third.close();
  },
);

t.test('a second service over the same state dir answers from the cache and reads 0 bytes', async (t) => {
  const dir = settledDir(t, { 'a.dump': 'aaa', 'b.dump': 'bbbb' });
  const stateDir = join(dir, 'state');
  const first = await service(stateDir);
  const hashed = await Promise.all(['a.dump', 'b.dump'].map((name) => first.hashFile(identity(join(dir, name)))));
  await first.close();
  t.equal(statSync(stateDir).mode & 0o777, 0o700, 'the state dir is created private');

  const second = await service(stateDir);
  const cached = await Promise.all(['a.dump', 'b.dump'].map((name) => second.hashFile(identity(join(dir, name)))));
  t.match(cached, [
    { ok: true, fromCache: true },
    { ok: true, fromCache: true },
  ]);
  t.same(
    cached.map((outcome) => outcome.ok && [outcome.sha256, outcome.hashedAt]),
    hashed.map((outcome) => outcome.ok && [outcome.sha256, outcome.hashedAt]),
    'same digest, and the time it was really hashed',
  );
  t.same(second.stats(), { filesHashed: 0, bytesHashed: 0, cacheHits: 2 });
  t.same(second.poolStats().jobsByThread, {}, 'no worker was even started');
  const inode = statSync(join(stateDir, CACHE_FILE_NAME)).ino;
  await second.close();
  t.equal(statSync(join(stateDir, CACHE_FILE_NAME)).ino, inode, 'nothing changed, so the file was not rewritten');
});

/**
 * The cache file as format 2 wrote it: the same records with the files' st_dev in place of their
 * filesystem's key and without their ctime (80 bytes), a CRC-32 at the end.
 */
function asVersion2(saved: Buffer, stDev: number): Buffer {
  const count = saved.readUInt32LE(16);
  const records = Buffer.alloc(count * 80);
  for (let record = 0; record < count; record++) {
    const at = 24 + record * 88;
    records.writeDoubleLE(stDev, record * 80);
    saved.copy(records, record * 80 + 8, at + 8, at + 32); // ino, size, mtimeMs
    saved.copy(records, record * 80 + 32, at + 40, at + 88); // hashedAt, lastSeen, sha256
  }
  const check = Buffer.alloc(4);
  check.writeUInt32LE(crc32(records), 0);
  const header = Buffer.from(saved.subarray(0, 24));
  header.writeUInt32LE(2, 8);
  return Buffer.concat([header, records, check]);
}

t.test(
  'a cache file of an older format (no ctimes) answers from the cache, and the run saves it in the current one',
  async (t) => {
    const dir = settledDir(t, { 'a.dump': 'aaa' });
    const stateDir = join(dir, 'state');
    const first = await service(stateDir);
    const hashed = await first.hashFile(identity(join(dir, 'a.dump')));
    await first.close();
    const path = join(stateDir, CACHE_FILE_NAME);
    const saved = readFileSync(path);
    writeFileSync(path, asVersion2(saved, statSync(join(dir, 'a.dump')).dev));

    const second = await service(stateDir);
    const cached = await second.hashFile(identity(join(dir, 'a.dump')));
    t.match(cached, { ok: true, fromCache: true }, 'the upgrade re-hashes nothing: the ctime seen now is adopted');
    t.equal(cached.ok && cached.sha256, hashed.ok && hashed.sha256);
    await second.close();
    t.equal(readFileSync(path).readUInt32LE(8), 4, 'rewritten as version 4');
    t.same(readFileSync(path), saved, "the same records, with the filesystem's key and the ctime the file has");

    chmodSync(join(dir, 'a.dump'), 0o600);
    const third = await service(stateDir);
    t.match(await third.hashFile(identity(join(dir, 'a.dump'))), { fromCache: false }, 'and from then on checked');
    await third.close();
  },
);

t.test('a changed mtime or size is hashed again', async (t) => {
  const dir = settledDir(t, { 'db.dump': 'version 1' });
  const path = join(dir, 'db.dump');
  const stateDir = join(dir, 'state');
  const first = await service(stateDir);
  await first.hashFile(identity(path));
  await first.close();

  utimesSync(path, new Date(), new Date(Date.now() + 5000));
  const afterTouch = await service(stateDir);
  t.match(await afterTouch.hashFile(identity(path)), { ok: true, fromCache: false }, 'mtime moved');
  await afterTouch.close();

  writeFileSync(path, 'version 22');
  const afterWrite = await service(stateDir);
  t.match(
    await afterWrite.hashFile(identity(path)),
    { ok: true, fromCache: false, sha256: await sha256sum(path) },
    'size changed',
  );
  t.equal(afterWrite.stats().bytesHashed, 10);
  await afterWrite.close();
});

t.test('deep re-hashes a cached file and refreshes its entry', async (t) => {
  const dir = settledDir(t, { 'db.dump': 'stable content' });
  const path = join(dir, 'db.dump');
  let clock = Date.UTC(2026, 10, 1);
  const checksums = await service(join(dir, 'state'), { now: () => clock });
  const first = await checksums.hashFile(identity(path));
  clock += 3600_000;
  const deep = await checksums.hashFile(identity(path), { deep: true });
  const after = await checksums.hashFile(identity(path));
  t.match(first, { ok: true, fromCache: false, hashedAt: '2026-11-01T00:00:00.000Z' });
  t.match(deep, { ok: true, fromCache: false, hashedAt: '2026-11-01T01:00:00.000Z' });
  t.match(after, { ok: true, fromCache: true, hashedAt: '2026-11-01T01:00:00.000Z' });
  t.same(checksums.stats(), { filesHashed: 2, bytesHashed: 28, cacheHits: 1 });
  await checksums.close();
});

t.test('content changed behind an unchanged size and mtime is found by a re-read and kept as evidence', async (t) => {
  const dir = settledDir(t, { 'db.dump': 'AAAA' });
  const path = join(dir, 'db.dump');
  const stateDir = join(dir, 'state');
  const when = statSync(path).mtime;
  const first = await service(stateDir);
  const original = await first.hashFile(identity(path));
  await first.close();
  writeFileSync(path, 'BBBB');
  utimesSync(path, when, when);

  const { logger, lines } = capturingLogger();
  const second = await createChecksumService({ stateDir, workers: 1, logger });
  const found = await second.hashFile(identity(path));
  t.match(found, { ok: true, fromCache: false, sha256: await sha256sum(path) }, 'the ctime moved: read again');
  t.match(found, {
    contentChanged: {
      previousSha256: original.ok && original.sha256,
      previousHashedAt: original.ok && original.hashedAt,
      detectedAt: found.ok && found.hashedAt,
    },
  });
  t.match(lines, [{ level: 40, msg: /content changed although size and mtime did not/ }]);
  await second.close();

  const third = await service(stateDir);
  t.match(
    await third.hashFile(identity(path)),
    { fromCache: true, contentChanged: found.ok && found.contentChanged },
    'a later cached run still says so',
  );
  t.match(
    await third.hashFile(identity(path), { deep: true }),
    { fromCache: false, contentChanged: found.ok && found.contentChanged },
    'and so does a deep one, which finds the same changed content',
  );
  await third.close();

  rmSync(join(stateDir, CACHE_FILE_NAME));
  const cacheLost = await service(stateDir);
  t.match(
    await cacheLost.hashFile(identity(path)),
    { fromCache: false, contentChanged: found.ok && found.contentChanged },
    'the cache lost: the file is read again, and the finding outlives the cache',
  );
  await cacheLost.close();

  chmodSync(path, 0o600);
  const fourth = await service(stateDir);
  t.match(
    await fourth.hashFile(identity(path)),
    { fromCache: false, contentChanged: found.ok && found.contentChanged },
    'a new ctime with the same content is no change of content: the finding stays',
  );
  await fourth.close();

  writeFileSync(path, 'CCCC');
  utimesSync(path, new Date('2026-02-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'));
  const fifth = await service(stateDir);
  const rewritten = await fifth.hashFile(identity(path));
  t.equal(rewritten.ok && rewritten.contentChanged, undefined, 'written again through the filesystem: the end of it');
  await fifth.close();
  const sixth = await service(stateDir);
  const later = await sixth.hashFile(identity(path));
  t.match(later, { fromCache: true }, 'and later runs');
  t.equal(later.ok && later.contentChanged, undefined);
  await sixth.close();
});

/**
 * A state dir whose cache knows db.dump as 'AAAA', and db.dump rewritten since with other bytes of the
 * same size and mtime (rot). The digests are worked out here, before the service under test exists,
 * so that nothing awaited between its creation and the records lets its cache file finish loading.
 */
async function rotBehindTheCache(t: Test, others: Record<string, string>) {
  const dir = settledDir(t, { 'db.dump': 'AAAA', ...others });
  const path = join(dir, 'db.dump');
  const when = new Date('2026-11-01T00:00:00Z');
  utimesSync(path, when, when);
  const stateDir = join(dir, 'state');
  const first = await service(stateDir);
  await first.hashFile(identity(path));
  await first.close();
  writeFileSync(path, 'BBBB');
  utimesSync(path, when, when);
  const digests: Record<string, string> = { 'db.dump': await sha256sum(path) };
  for (const name of Object.keys(others)) digests[name] = await sha256sum(join(dir, name));
  return { dir, path, stateDir, digests };
}

t.test('a hash recorded from a reading thread is counted, cached and checked like one of its own', async (t) => {
  const { dir, path, stateDir, digests } = await rotBehindTheCache(t, { 'other.dump': 'CC' });
  const other = join(dir, 'other.dump');
  const rotted = digests['db.dump'] as string;
  const { logger, lines } = capturingLogger();
  const second = await createChecksumService({ stateDir, workers: 1, logger, loadInBackground: true });
  t.equal(second.cached(identity(path)), undefined, 'the cache file has not loaded yet');
  t.match(second.recordHashed(identity(path), rotted), { sha256: rotted, hashedAt: /^\d{4}-\d\d-\d\dT/ });
  second.recordHashed(identity(other), digests['other.dump'] as string);
  t.match(await second.hashFile(identity(path)), { ok: true, fromCache: true, sha256: rotted });
  t.match(lines, [{ level: 40, msg: /content changed although size and mtime did not/, path }]);
  t.same(second.stats(), { filesHashed: 2, bytesHashed: 6, cacheHits: 1 }, 'counted as hashed, bytes included');
  await second.close();

  const third = await service(stateDir);
  t.match(await cachedWhenReady(third, identity(other)), { sha256: digests['other.dump'] }, 'saved with the cache');
  await third.close();
});

t.test('hashes recorded and closed before the cache file has loaded are still checked and saved', async (t) => {
  const { dir, path, stateDir, digests } = await rotBehindTheCache(t, { 'new.dump': 'NN' });
  const added = join(dir, 'new.dump');
  const { logger, lines } = capturingLogger();
  const second = await createChecksumService({ stateDir, workers: 1, logger, loadInBackground: true });
  t.equal(second.cached(identity(path)), undefined, 'the cache file has not loaded yet');
  // A --deep run whose every file the reading threads hashed closes right after its walk.
  second.recordHashed(identity(path), digests['db.dump'] as string);
  second.recordHashed(identity(added), digests['new.dump'] as string);
  await second.close();
  t.match(lines, [{ level: 40, msg: /content changed although size and mtime did not/, path }]);

  const third = await service(stateDir);
  t.match(
    await cachedWhenReady(third, identity(path)),
    { sha256: digests['db.dump'] },
    'the rotted content replaced the old digest',
  );
  t.match(await cachedWhenReady(third, identity(added)), { sha256: digests['new.dump'] }, 'and the new file is known');
  await third.close();
});

t.test('a file that differs from its listing is changed-while-hashing, and nothing is cached', async (t) => {
  const dir = settledDir(t, { 'db.dump': 'being written' });
  const path = join(dir, 'db.dump');
  const listed = identity(path);
  const checksums = await service(join(dir, 'state'));
  t.match(await checksums.hashFile({ ...listed, size: listed.size - 4 }), {
    ok: false,
    reason: 'changed-while-hashing',
  });
  t.match(await checksums.hashFile({ ...listed, mtimeMs: listed.mtimeMs - 1000 }), {
    ok: false,
    reason: 'changed-while-hashing',
  });
  t.match(await checksums.hashFile(listed), { ok: true, fromCache: false }, 'the real identity was never cached');
  await checksums.close();
});

t.test('a backup still being written (appended to until the answer comes) is changed-while-hashing', async (t) => {
  // The worker sees the growth at its first fstat or its second, depending on timing; either way
  // the answer must be changed-while-hashing. The second-fstat branch on its own is pinned down
  // deterministically in hash-job.test.ts with a fake fs.
  const dir = settledDir(t, { 'db.dump': content(4 * 1024 * 1024) });
  const path = join(dir, 'db.dump');
  const checksums = await service(join(dir, 'state'), { bufferSize: 4096 });
  const listed = identity(path);
  let answered = false;
  const outcome = checksums.hashFile(listed).finally(() => {
    answered = true;
  });
  while (!answered) {
    appendFileSync(path, 'more');
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.match(await outcome, { ok: false, reason: 'changed-while-hashing' });
  await checksums.close();
});

t.test('a missing file is vanished and its cache entry is dropped; a directory is unreadable', async (t) => {
  const dir = settledDir(t, { 'db.dump': 'x', sub: {} });
  const path = join(dir, 'db.dump');
  const stateDir = join(dir, 'state');
  const checksums = await service(stateDir);
  const listed = identity(path);
  await checksums.hashFile(listed);
  await run('rm', [path]);
  t.match(await checksums.hashFile(listed, { deep: true }), { ok: false, reason: 'vanished', message: /ENOENT/ });
  t.match(await checksums.hashFile(identity(join(dir, 'sub'))), { ok: false, reason: 'unreadable' });
  await checksums.close();
  const again = await service(stateDir);
  writeFileSync(path, 'x');
  t.match(
    await again.hashFile({ ...listed, path }),
    { ok: false },
    'the old entry is gone (identity no longer matches)',
  );
  await again.close();
});

t.test('a corrupt cache file is logged and ignored: everything is hashed again, nothing throws', async (t) => {
  const dir = settledDir(t, {
    'db.dump': 'data',
    state: { [CACHE_FILE_NAME]: 'B321CSUM but not really a cache file' },
  });
  const { logger, lines } = capturingLogger();
  const checksums = await createChecksumService({ stateDir: join(dir, 'state'), workers: 1, logger });
  t.match(await checksums.hashFile(identity(join(dir, 'db.dump'))), { ok: true, fromCache: false });
  t.match(lines, [{ level: 40, msg: /checksum cache ignored/ }]);
  await checksums.close();
  const after = await service(join(dir, 'state'));
  t.match(await after.hashFile(identity(join(dir, 'db.dump'))), { fromCache: true }, 'and replaced by a good one');
  await after.close();
});

t.test('the cache is written atomically: no temp file remains and the file loads', async (t) => {
  const dir = settledDir(t, { 'a.dump': 'a' });
  const stateDir = join(dir, 'state');
  const checksums = await service(stateDir);
  await checksums.hashFile(identity(join(dir, 'a.dump')));
  await checksums.close();
  await checksums.close();
  t.same(readdirSync(stateDir), [CACHE_FILE_NAME]);
  t.equal(statSync(join(stateDir, CACHE_FILE_NAME)).mode & 0o777, 0o600);
});

t.test('a cache that cannot be saved is logged, not thrown', async (t) => {
  const dir = settledDir(t, { 'a.dump': 'a', state: { [CACHE_FILE_NAME]: { 'in the way': '' } } });
  const { logger, lines } = capturingLogger();
  const checksums = await createChecksumService({ stateDir: join(dir, 'state'), workers: 1, logger });
  await checksums.hashFile(identity(join(dir, 'a.dump')));
  await checksums.close();
  t.match(lines, [{ level: 40 }, { level: 50, msg: /could not be saved/ }]);
});

t.test('many files are hashed on more than one worker at once', async (t) => {
  const files = Object.fromEntries(Array.from({ length: 1100 }, (_, i) => [`f${i}.dump`, content(512, i + 1)]));
  const dir = settledDir(t, files);
  const checksums = await service(join(dir, 'state'));
  const outcomes = await Promise.all(Object.keys(files).map((name) => checksums.hashFile(identity(join(dir, name)))));
  t.ok(outcomes.every((outcome) => outcome.ok));
  const pool = checksums.poolStats();
  t.equal(Object.keys(pool.jobsByThread).length, 2, 'two threads did work');
  t.equal(pool.peakBusyWorkers, 2, 'both had work in flight at the same moment');
  t.equal(checksums.stats().bytesHashed, 1100 * 512);
  t.equal((outcomes[7] as { sha256: string }).sha256, await sha256sum(join(dir, 'f7.dump')));
  await checksums.close();
});

t.test('a few files are split over the workers, not handed all to the first', async (t) => {
  const dir = settledDir(t, {
    'a.dump': content(200_000, 1),
    'b.dump': content(200_000, 2),
    'c.dump': 'c',
    'd.dump': 'd',
  });
  const checksums = await service(join(dir, 'state'));
  await Promise.all(['a', 'b', 'c', 'd'].map((name) => checksums.hashFile(identity(join(dir, `${name}.dump`)))));
  t.same(Object.values(checksums.poolStats().jobsByThread), [2, 2]);
  await checksums.close();
});

t.test('hashing never modifies the files it reads', async (t) => {
  const dir = settledDir(t, { 'a.dump': content(100_000), 'b.dump': 'bbb' });
  const paths = ['a.dump', 'b.dump'].map((name) => join(dir, name));
  const before = paths.map((path) => [readFileSync(path), statSync(path).mtimeMs, statSync(path).size]);
  const checksums = await service(join(dir, 'state'));
  for (const path of paths) await checksums.hashFile(identity(path), { deep: true });
  await checksums.close();
  t.same(
    paths.map((path) => [readFileSync(path), statSync(path).mtimeMs, statSync(path).size]),
    before,
  );
});

t.test('an aborted signal answers aborted, for jobs not yet started and jobs running', async (t) => {
  const dir = settledDir(t, { 'big.dump': content(2 * 1024 * 1024), 'small.dump': 's' });
  const checksums = await service(join(dir, 'state'), { workers: 1, bufferSize: 4096 });
  const already = new AbortController();
  already.abort();
  t.match(await checksums.hashFile(identity(join(dir, 'small.dump')), { signal: already.signal }), {
    ok: false,
    reason: 'aborted',
  });

  const controller = new AbortController();
  const running = checksums.hashFile(identity(join(dir, 'big.dump')), { signal: controller.signal });
  const queued = Array.from({ length: 3 }, () =>
    checksums.hashFile(identity(join(dir, 'small.dump')), { signal: controller.signal }),
  );
  const unrelated = checksums.hashFile(identity(join(dir, 'small.dump')));
  await new Promise((resolve) => setImmediate(resolve));
  controller.abort();
  t.match(await Promise.all([running, ...queued]), Array(4).fill({ ok: false, reason: 'aborted' }));
  t.match(await unrelated, { ok: true }, 'a job without that signal goes on');
  t.equal(checksums.stats().filesHashed, 1);
  await checksums.close();
});

t.test('close answers pending jobs as aborted, and later calls too', async (t) => {
  const dir = settledDir(t, { 'big.dump': content(1024 * 1024), 'small.dump': 's' });
  const checksums = await service(join(dir, 'state'), { workers: 1, bufferSize: 4096 });
  const pending = [
    checksums.hashFile(identity(join(dir, 'big.dump'))),
    checksums.hashFile(identity(join(dir, 'small.dump')), { signal: new AbortController().signal }),
  ];
  await new Promise((resolve) => setImmediate(resolve));
  await checksums.close();
  t.match(await Promise.all(pending), [
    { ok: false, reason: 'aborted' },
    { ok: false, reason: 'aborted' },
  ]);
  t.match(await checksums.hashFile(identity(join(dir, 'small.dump'))), { ok: false, reason: 'aborted' });
});

t.test('entries no run has seen for the prune age are dropped when the cache is saved', async (t) => {
  const dir = settledDir(t, { 'old.dump': 'o', 'new.dump': 'n' });
  const stateDir = join(dir, 'state');
  const day = 24 * 3600 * 1000;
  let clock = Date.UTC(2026, 1, 1);
  const options = { now: () => clock, pruneAfterMs: 30 * day };
  const first = await service(stateDir, options);
  await first.hashFile(identity(join(dir, 'old.dump')));
  await first.hashFile(identity(join(dir, 'new.dump')));
  await first.close();
  clock += 20 * day;
  const second = await service(stateDir, options);
  t.match(await second.hashFile(identity(join(dir, 'new.dump'))), { fromCache: true });
  await second.close();
  clock += 20 * day;
  const third = await service(stateDir, options);
  t.match(await third.hashFile(identity(join(dir, 'new.dump'))), { fromCache: true }, 'seen 20 days ago: kept');
  await third.close();
  const fourth = await service(stateDir, options);
  t.match(await fourth.hashFile(identity(join(dir, 'old.dump'))), { fromCache: false }, 'unseen for 40 days: pruned');
  await fourth.close();
});

/** The host's answer as a table: st_dev → the identity of the filesystem that has it this "boot". */
function identities(table: Record<number, string>): ChecksumServiceOptions['identifyDevice'] {
  return async (dev) => table[dev];
}

t.test(
  'a filesystem re-mounted under another st_dev is the same filesystem: its files come from the cache',
  async (t) => {
    const dir = settledDir(t, { 'erp.dump': 'erp', 'rot.dump': 'AAAA' });
    const stateDir = join(dir, 'state');
    const erp = identity(join(dir, 'erp.dump'));
    const rot = identity(join(dir, 'rot.dump'));
    const before = { identifyDevice: identities({ [erp.dev]: 'uuid:5e1f-backup' }) };
    const first = await service(stateDir, before);
    const hashed = await first.hashFile(erp);
    await first.hashFile(rot);
    await first.close();
    // Bit rot behind the cache, found by the next read (the write moved the ctime) and kept as evidence.
    const when = new Date(rot.mtimeMs);
    writeFileSync(rot.path, 'BBBB');
    utimesSync(rot.path, when, when);
    const second = await service(stateDir, before);
    const found = await second.hashFile(identity(rot.path));
    t.ok(found.ok && found.contentChanged, 'the change is found');
    await second.close();

    // After a reboot the kernel numbers the same filesystem (same UUID) differently.
    const renumbered = erp.dev + 7;
    const after = await service(stateDir, { identifyDevice: identities({ [renumbered]: 'uuid:5e1f-backup' }) });
    t.match(
      await after.hashFile({ ...erp, dev: renumbered }),
      { ok: true, fromCache: true, sha256: hashed.ok && hashed.sha256, hashedAt: hashed.ok && hashed.hashedAt },
      'a hit, with the time it was really hashed',
    );
    t.match(
      await cachedWhenReady(after, { ...identity(rot.path), dev: renumbered }),
      { contentChanged: found.ok && found.contentChanged },
      'and the record of changed content still applies',
    );
    t.same(after.stats(), { filesHashed: 0, bytesHashed: 0, cacheHits: 2 }, 'nothing read again');
    await after.close();

    // The old st_dev now belongs to another filesystem (another disk got the number): nothing of the first is its.
    const other = await service(stateDir, { identifyDevice: identities({ [erp.dev]: 'uuid:77aa-other-disk' }) });
    t.match(await other.hashFile(erp), { ok: true, fromCache: false }, 'read, not taken from the other disk');
    await other.close();
  },
);

t.test(
  'a filesystem without a stable identity is keyed by its st_dev: another st_dev is another filesystem',
  async (t) => {
    const dir = settledDir(t, { 'ram.dump': 'tmpfs' });
    const stateDir = join(dir, 'state');
    const file = identity(join(dir, 'ram.dump'));
    const none = { identifyDevice: identities({}) };
    const first = await service(stateDir, none);
    await first.hashFile(file);
    await first.close();
    const same = await service(stateDir, none);
    t.match(await same.hashFile(file), { fromCache: true }, 'the same st_dev: a hit');
    await same.close();
    const renumbered = await service(stateDir, none);
    t.match(
      await renumbered.hashFile({ ...file, dev: file.dev + 7 }),
      { ok: true, fromCache: false },
      'another st_dev: read again',
    );
    t.equal(renumbered.stats().cacheHits, 0);
    await renumbered.close();
  },
);

t.test('a host that cannot identify a filesystem costs its files their stable key, never the run', async (t) => {
  const dir = settledDir(t, { 'a.dump': 'a' });
  const { logger, lines } = capturingLogger();
  const failing = async (): Promise<string | undefined> => {
    throw new Error('mount table unreadable');
  };
  const checksums = await createChecksumService({
    stateDir: join(dir, 'state'),
    workers: 1,
    logger,
    identifyDevice: failing,
  });
  t.match(await checksums.hashFile(identity(join(dir, 'a.dump'))), { ok: true });
  t.match(await checksums.hashFile(identity(join(dir, 'a.dump'))), { ok: true, fromCache: true }, 'keyed by st_dev');
  t.match(lines, [{ level: 40, msg: /cannot identify a filesystem/, err: /mount table unreadable/ }]);
  await checksums.close();
});

/** The cache file as format 3 wrote it: the same records, with the files' st_dev in place of their filesystem's key. */
function asVersion3(saved: Buffer, stDev: number): Buffer {
  const copy = Buffer.from(saved);
  const count = copy.readUInt32LE(16);
  for (let record = 0; record < count; record++) copy.writeDoubleLE(stDev, 24 + record * 88);
  copy.writeUInt32LE(3, 8);
  copy.writeUInt32LE(crc32(copy.subarray(24, 24 + count * 88)), 24 + count * 88);
  return copy;
}

t.test("an older release's cache and record of changed content (by st_dev) are re-keyed, not re-read", async (t) => {
  const dir = settledDir(t, { 'a.dump': 'aaa', 'b.dump': 'bbbb' });
  const stateDir = join(dir, 'state');
  const a = identity(join(dir, 'a.dump'));
  const b = identity(join(dir, 'b.dump'));
  const boot = { identifyDevice: identities({ [a.dev]: 'uuid:5e1f-backup' }) };
  const first = await service(stateDir, boot);
  const hashed = await first.hashFile(a);
  await first.hashFile(b);
  await first.close();
  const path = join(stateDir, CACHE_FILE_NAME);
  const saved = readFileSync(path);
  writeFileSync(path, asVersion3(saved, a.dev));
  // As an older release wrote it: a finding for b.dump, whose content is still the changed one.
  const change = {
    dev: b.dev,
    ino: b.ino,
    sha256: await sha256sum(b.path),
    previousSha256: 'a1'.repeat(32),
    previousHashedAt: '2026-01-01T00:00:00.000Z',
    detectedAt: '2026-02-01T00:00:00.000Z',
    lastSeen: '2026-02-01T00:00:00.000Z',
  };
  writeFileSync(join(stateDir, 'content-changes.json'), JSON.stringify({ version: 1, changes: [change] }));

  const upgraded = await service(stateDir, boot);
  t.match(
    await upgraded.hashFile(a),
    { ok: true, fromCache: true, hashedAt: hashed.ok && hashed.hashedAt },
    "the st_dev is a filesystem of this boot: its entries are that filesystem's",
  );
  t.match(await upgraded.hashFile(b), { fromCache: true, contentChanged: { previousSha256: change.previousSha256 } });
  t.same(upgraded.stats(), { filesHashed: 0, bytesHashed: 0, cacheHits: 2 });
  await upgraded.close();
  t.same(readFileSync(path), saved, "saved again as version 4, each record under its filesystem's key");
  const changes = JSON.parse(readFileSync(join(stateDir, 'content-changes.json'), 'utf8'));
  t.match(changes, { version: 2, changes: [{ ino: b.ino, device: Number }] });
});

t.test('two filesystems of one identity mounted at once (a block-level copy) are never mixed up', async (t) => {
  const dir = settledDir(t, { 'erp.dump': 'erp' });
  const origin = identity(join(dir, 'erp.dump'));
  // An LVM snapshot of the volume, mounted beside it: the same UUID and inode numbers, another st_dev.
  const snapshot = { ...origin, dev: origin.dev + 7 };
  const checksums = await service(join(dir, 'state'), {
    identifyDevice: identities({ [origin.dev]: 'uuid:5e1f', [snapshot.dev]: 'uuid:5e1f' }),
  });
  t.match(await checksums.hashFile(origin), { ok: true, fromCache: false });
  t.match(await checksums.hashFile(snapshot), { ok: true, fromCache: false }, "the copy's file is read for itself");
  t.match(await checksums.hashFile(snapshot), { ok: true, fromCache: true }, 'and cached as its own');
  t.match(await checksums.hashFile(origin), { ok: true, fromCache: true });
  await checksums.close();
});
