// Entries a pattern matches that are no copy (FIFOs, links not to be followed, paths out of the
// location) are refused with one issue each, and a link two patterns meet is reported once.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { SourceIssue } from '../../../src/model.js';
import { createDiskSource } from '../../../src/sources/disk/source.js';
import { backup, diskLocation, sourceContext } from './context.js';

const described = (issues: SourceIssue[], root: string) =>
  issues.map((found) => `${found.severity} ${found.code} ${found.dataset} ${found.path?.slice(root.length)}`).sort();

t.test('a FIFO matching a pattern is skipped with one warning, never opened, with --deep or without', async (t) => {
  const root = t.testdir({ 'a.dump': 'a' });
  execFileSync('mkfifo', [join(root, 'pipe.dump')]);
  symlinkSync('pipe.dump', join(root, 'link-to-pipe.dump'));
  for (const deep of [false, true]) {
    // The literal pattern meets the FIFO the glob met already: still one warning for it.
    const ctx = await sourceContext(t, [backup('db', '*.dump', 'pipe.dump'), backup('pipe', 'pipe.dump')], { deep });
    const { copies, status } = await createDiskSource(diskLocation(root)).inventory(ctx);
    t.same(
      copies.map((copy) => copy.name),
      ['a.dump'],
      `deep ${deep}: the FIFO and the link to it are no copies`,
    );
    t.same(
      described(status.issues, root),
      [
        'warning B321_SPECIAL_FILE db /link-to-pipe.dump',
        'warning B321_SPECIAL_FILE db /pipe.dump',
        'warning B321_SPECIAL_FILE pipe /pipe.dump',
      ],
      'one warning a dataset for each, and no "matches nothing" beside it',
    );
    t.match(status.issues.find((found) => found.dataset === 'pipe')?.message, /a FIFO/);
    t.equal(status.status, 'degraded');
  }
});

t.test('a dangling symlink that two patterns of a dataset match is reported once', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'a' } });
  symlinkSync('nowhere.dump', join(root, 'erp/gone.dump'));
  const ctx = await sourceContext(t, [backup('db', 'erp/*.dump', '**/*.dump'), backup('other', 'erp/*.dump')]);
  const { copies, status } = await createDiskSource(diskLocation(root)).inventory(ctx);
  t.equal(copies.length, 2, 'a.dump, once for each dataset');
  t.same(described(status.issues, root), [
    'warning B321_DANGLING_SYMLINK db /erp/gone.dump',
    'warning B321_DANGLING_SYMLINK other /erp/gone.dump',
  ]);
});

t.test(
  'followSymlinks off: a pattern naming a link, or a directory reached through one, is not followed',
  async (t) => {
    const root = t.testdir({ real: { 'x.dump': 'x' } });
    symlinkSync('real/x.dump', join(root, 'link.dump'));
    symlinkSync('real', join(root, 'linked'));
    const datasets = [backup('file', 'link.dump'), backup('through', 'linked/x.dump'), backup('glob', 'linked/*.dump')];
    const off = await createDiskSource(diskLocation(root, { followSymlinks: false })).inventory(
      await sourceContext(t, datasets),
    );
    t.same(off.copies, [], 'nothing read through a link');
    t.same(described(off.status.issues, root), [
      'warning B321_SYMLINK_NOT_FOLLOWED file /link.dump',
      'warning B321_SYMLINK_NOT_FOLLOWED glob /linked',
      'warning B321_SYMLINK_NOT_FOLLOWED through /linked',
    ]);
    const on = await createDiskSource(diskLocation(root)).inventory(await sourceContext(t, datasets));
    t.same(
      on.copies.map((copy) => `${copy.dataset} ${copy.path.slice(root.length)}`),
      ['file /link.dump', 'through /linked/x.dump', 'glob /linked/x.dump'],
      'followed when it is on',
    );
    t.same(on.status.issues, []);
  },
);

t.test('a pattern with a ".." segment is refused: nothing outside the location is read', async (t) => {
  const root = t.testdir({ location: { 'a.dump': 'a' }, outside: { 'secret.dump': 'secret' } });
  const location = join(root, 'location');
  const ctx = await sourceContext(t, [backup('db', '*.dump', '../outside/*.dump'), backup('up', '..')]);
  const { copies, status } = await createDiskSource(diskLocation(location)).inventory(ctx);
  t.same(
    copies.map((copy) => copy.path),
    [join(location, 'a.dump')],
  );
  t.match(status, {
    status: 'unreadable',
    issues: [
      { severity: 'error', code: 'B321_BAD_PATTERN', dataset: 'db', message: /"\.\.\/outside\/\*\.dump"/ },
      { severity: 'error', code: 'B321_BAD_PATTERN', dataset: 'up' },
    ],
  });
  t.equal(status.issues.length, 2);
});

t.test('a directory holding the FIFO is still one directory copy', async (t) => {
  const root = t.testdir({ mail: { d1: { 'inbox.mbox': 'm' } } });
  mkdirSync(join(root, 'mail/d1/run'));
  execFileSync('mkfifo', [join(root, 'mail/d1/run/socket-like')]);
  writeFileSync(join(root, 'mail/d1/run/pid'), '1');
  const ctx = await sourceContext(t, [backup('mail', 'mail/*')], { deep: true });
  const { copies, status } = await createDiskSource(diskLocation(root)).inventory(ctx);
  t.match(copies, [{ kind: 'directory', name: 'd1', bytes: 2 }]);
  t.ok(copies[0]?.sha256, 'hashed: the FIFO inside is neither read nor a reason to give up');
  t.same(status.issues, []);
});
