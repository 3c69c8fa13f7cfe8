// Content that changes behind an unchanged size and mtime (bit rot, tampering) is found and kept as
// evidence; a cached run re-reads what its ctime or a racily-clean entry says it must.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { Copy } from '../../../src/model.js';
import { SETTLED_AT, settleTree } from '../../helpers/settled.js';
import { mountLabelledImage, rootFixturesUnavailable, scratchDir } from '../../host/root-fixtures.js';
import { backup, diskLocation, inventoryRun } from './context.js';

const sha = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** Deterministic content of `size` bytes, distinct per seed. */
function content(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0, x = seed; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/** Inverts 4 bytes at `offset` through the filesystem, then sets the mtime back as it was. */
function flipInPlace(path: string, offset: number): void {
  const { atime, mtime } = statSync(path);
  const fd = openSync(path, 'r+');
  const bytes = Buffer.alloc(4);
  readSync(fd, bytes, 0, 4, offset);
  for (let i = 0; i < 4; i++) bytes[i] = (bytes[i] as number) ^ 0xff;
  writeSync(fd, bytes, 0, 4, offset);
  closeSync(fd);
  utimesSync(path, atime, mtime);
}

function stateDirFor(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'b321-state-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const byName = (copies: Copy[]) => Object.fromEntries(copies.map((copy) => [copy.name, copy]));

t.test(
  '--deep finds 4 bytes flipped behind a restored mtime; later cached runs still say so; a real rewrite ends it',
  async (t) => {
    // small.dump is hashed by a reading thread as it is listed, big.dump (over 1 MiB) by the hash threads.
    const small = content(64 * 1024, 1);
    const big = content(1536 * 1024, 2);
    const root = settleTree(t.testdir({ erp: { 'small.dump': small, 'big.dump': big } }));
    const stateDir = stateDirFor(t);
    const location = diskLocation(root);
    const datasets = [backup('erp-db', 'erp/*.dump')];
    const first = byName((await inventoryRun(location, datasets, { stateDir })).copies);
    t.equal(first['small.dump']?.sha256, sha(small));
    for (const name of ['small.dump', 'big.dump']) flipInPlace(join(root, 'erp', name), 1000);

    const deep = await inventoryRun(location, datasets, { stateDir, deep: true });
    const found = byName(deep.copies);
    for (const name of ['small.dump', 'big.dump']) {
      const now = readFileSync(join(root, 'erp', name));
      t.equal(
        statSync(join(root, 'erp', name)).mtimeMs,
        SETTLED_AT.getTime(),
        `${name}: the mtime says nothing changed`,
      );
      t.equal(found[name]?.sha256, sha(now), `${name}: the copy has the content as it is now`);
      t.same(
        found[name]?.contentChanged,
        {
          previousSha256: first[name]?.sha256,
          previousHashedAt: first[name]?.hashedAt,
          detectedAt: found[name]?.hashedAt,
        },
        `${name}: and what it hashed to before, and when`,
      );
    }

    const cached = await inventoryRun(location, datasets, { stateDir });
    t.equal(cached.stats.filesHashed, 0, 'a plain run after it reads nothing');
    t.same(
      cached.copies.map((copy) => copy.contentChanged),
      deep.copies.map((copy) => copy.contentChanged),
      'and still reports the change',
    );

    writeFileSync(join(root, 'erp/small.dump'), content(64 * 1024, 3));
    const rewritten = byName((await inventoryRun(location, datasets, { stateDir })).copies);
    t.equal(rewritten['small.dump']?.contentChanged, undefined, 'written again through the filesystem: no finding');
    t.ok(rewritten['big.dump']?.contentChanged, 'the other file still has its finding');
    const later = byName((await inventoryRun(location, datasets, { stateDir })).copies);
    t.equal(later['small.dump']?.contentChanged, undefined, 'nor on the runs after');
  },
);

t.test('a cached run re-reads a file rewritten in place with its mtime set back (the ctime moved)', async (t) => {
  const root = settleTree(t.testdir({ 'db.dump': content(4096, 4), 'other.dump': content(4096, 5) }));
  const stateDir = stateDirFor(t);
  const location = diskLocation(root);
  const datasets = [backup('db', '*.dump')];
  const first = byName((await inventoryRun(location, datasets, { stateDir })).copies);
  flipInPlace(join(root, 'db.dump'), 10);

  const second = await inventoryRun(location, datasets, { stateDir });
  t.equal(second.stats.filesHashed, 1, 'the one file whose ctime moved is read again, no --deep needed');
  t.match(byName(second.copies)['db.dump'], {
    sha256: sha(readFileSync(join(root, 'db.dump'))),
    contentChanged: { previousSha256: first['db.dump']?.sha256, previousHashedAt: first['db.dump']?.hashedAt },
  });
  t.notOk(byName(second.copies)['other.dump']?.contentChanged);
});

t.test('a file hashed within 2 s of its mtime is read again by the next run (racily clean)', async (t) => {
  const root = t.testdir({ 'fresh.dump': 'written a moment ago', 'old.dump': 'written long ago' });
  utimesSync(join(root, 'old.dump'), SETTLED_AT, SETTLED_AT);
  const stateDir = stateDirFor(t);
  const location = diskLocation(root);
  const datasets = [backup('db', '*.dump')];
  const first = await inventoryRun(location, datasets, { stateDir });
  t.equal(first.stats.filesHashed, 2);
  const second = await inventoryRun(location, datasets, { stateDir });
  t.equal(second.stats.filesHashed, 1, 'the fresh file is read again, the old one comes from the cache');
  t.equal(second.stats.cacheHits, 1);
  // Nothing changed: a re-read that finds the same content, and no finding.
  t.ok(second.copies.every((copy) => copy.contentChanged === undefined));
});

t.test('a directory copy with a file changed behind its mtime says what its manifest hashed to before', async (t) => {
  const root = settleTree(t.testdir({ mail: { '2026-01-01': { 'inbox.mbox': 'mail one', 'sent.mbox': 'mail two' } } }));
  const stateDir = stateDirFor(t);
  const location = diskLocation(root);
  const datasets = [backup('mail', 'mail/*')];
  const [before] = (await inventoryRun(location, datasets, { stateDir })).copies;
  const manifest = (inbox: Buffer | string) =>
    sha([`${sha(inbox)}  inbox.mbox\n`, `${sha('mail two')}  sent.mbox\n`].sort().join(''));
  t.equal(before?.sha256, manifest('mail one'));
  flipInPlace(join(root, 'mail/2026-01-01/inbox.mbox'), 0);
  const [after] = (await inventoryRun(location, datasets, { stateDir, deep: true })).copies;
  t.equal(after?.sha256, manifest(readFileSync(join(root, 'mail/2026-01-01/inbox.mbox'))));
  t.equal(after?.contentChanged?.previousSha256, before?.sha256, 'the manifest as it was');
  // The times are inbox.mbox's; a directory's own hashedAt is its latest file's.
  const change = after?.contentChanged ?? { previousHashedAt: '', detectedAt: '' };
  t.ok(change.previousHashedAt <= (before?.hashedAt ?? ''), 'read before no later than the copy was');
  t.ok(
    change.detectedAt > (before?.hashedAt ?? '') && change.detectedAt <= (after?.hashedAt ?? ''),
    'found by this run',
  );
});

t.test(
  'as root: bytes flipped below the filesystem (true bit rot: no mtime, no ctime moves) are found by --deep',
  { skip: rootFixturesUnavailable() },
  async (t) => {
    // A real ext4 on a loop device. The file is hashed, the filesystem unmounted, 4 bytes of the
    // file's first data block (found with debugfs) inverted by writing to the block device itself,
    // and the filesystem mounted again: the kernel reads the new bytes with every inode field as it was.
    const scratch = scratchDir(t, 'b321-rot-');
    const mountPoint = join(scratch, 'usb');
    mkdirSync(mountPoint);
    const device = mountLabelledImage(t, join(scratch, 'usb.img'), mountPoint, 'ROT-0001');
    const path = join(mountPoint, 'erp.dump');
    writeFileSync(path, content(64 * 1024, 6));
    utimesSync(path, SETTLED_AT, SETTLED_AT);
    execFileSync('sync');
    const stateDir = stateDirFor(t);
    const location = diskLocation(mountPoint);
    const datasets = [backup('erp-db', '*.dump')];
    const [first] = (await inventoryRun(location, datasets, { stateDir })).copies;
    const before = statSync(path);

    execFileSync('umount', [mountPoint]);
    const debugfs = (request: string) => execFileSync('debugfs', ['-R', request, device], { encoding: 'utf8' });
    const block = Number(debugfs('bmap /erp.dump 0').trim());
    const blockSize = Number(/Block size:\s+(\d+)/.exec(debugfs('stats'))?.[1]);
    t.ok(block > 0 && blockSize > 0, `the file's first block is ${block} (${blockSize} bytes a block)`);
    const fd = openSync(device, 'r+');
    const bytes = Buffer.alloc(4);
    readSync(fd, bytes, 0, 4, block * blockSize + 100);
    for (let i = 0; i < 4; i++) bytes[i] = (bytes[i] as number) ^ 0xff;
    writeSync(fd, bytes, 0, 4, block * blockSize + 100);
    closeSync(fd);
    execFileSync('mount', [device, mountPoint]);

    const after = statSync(path);
    t.same(
      [after.ino, after.size, after.mtimeMs, after.ctimeMs],
      [before.ino, before.size, before.mtimeMs, before.ctimeMs],
      'inode, size, mtime and ctime as they were',
    );
    t.not(sha(readFileSync(path)), first?.sha256, 'but the bytes are not');

    const cached = await inventoryRun(location, datasets, { stateDir });
    t.equal(cached.stats.filesHashed, 0, 'a cached run has nothing to go by: it trusts the entry');
    t.equal(cached.copies[0]?.sha256, first?.sha256);
    const [deep] = (await inventoryRun(location, datasets, { stateDir, deep: true })).copies;
    t.equal(deep?.sha256, sha(readFileSync(path)), '--deep reads the bytes as they are');
    t.same(deep?.contentChanged, {
      previousSha256: first?.sha256,
      previousHashedAt: first?.hashedAt,
      detectedAt: deep?.hashedAt,
    });
    const [later] = (await inventoryRun(location, datasets, { stateDir })).copies;
    t.same(later?.contentChanged, deep?.contentChanged, 'and the runs after it keep the finding');
  },
);
