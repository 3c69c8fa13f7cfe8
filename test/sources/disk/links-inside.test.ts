// followSymlinks "inside" (the default of a configured location): a link is followed only when where it
// leads is inside the location's own root. A link out is not followed and is said once per dataset and
// path where it mattered (it matched, or the pattern reaches below it); links inside are followed as
// before, loops and dangling links keep their codes. The whole agent run, with an atime probe on the
// outside files, is test/faults/agent-confinement.test.ts.
import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { SourceIssue } from '../../../src/model.js';
import { createDiskSource } from '../../../src/sources/disk/source.js';
import { backup, diskLocation, sourceContext } from './context.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** "severity code dataset path-in-the-location → target-in-the-tree", sorted. */
const described = (issues: SourceIssue[], root: string) =>
  issues
    .map((found) => {
      const target = found.params?.target === undefined ? '' : ` → ${String(found.params.target).slice(root.length)}`;
      return `${found.severity} ${found.code} ${found.dataset} ${found.path?.slice(root.length)}${target}`;
    })
    .sort();

/** A location `loc` and, beside it, an `outside` folder; links from the location to both. */
function tree(t: Test) {
  const root = t.testdir({
    outside: { 'secret.dump': 'secret', notes: 'notes', dumps: { 'old.dump': 'old' }, 'a.dump.sha256': '' },
    loc: {
      erp: { 'a.dump': 'a', 'b.dump': 'b' },
      archive: { 'c.dump': 'c' },
      site: { 'index.html': 'hello', 'b.dump.sha256': `${sha('b')}  b.dump\n` },
    },
  });
  const loc = join(root, 'loc');
  const outside = join(root, 'outside');
  // Out: a matched dump, a file no pattern matches, a directory, a checksum file beside a copy.
  symlinkSync(join(outside, 'secret.dump'), join(loc, 'erp/secret.dump'));
  symlinkSync(join(outside, 'notes'), join(loc, 'erp/notes.txt'));
  symlinkSync(join(outside, 'dumps'), join(loc, 'old'));
  symlinkSync(join(outside, 'a.dump.sha256'), join(loc, 'erp/a.dump.sha256'));
  symlinkSync(join(outside, 'secret.dump'), join(loc, 'site/leak.dump'));
  // Inside: a dump, a directory, a checksum file; a loop and a link to nothing.
  symlinkSync('../archive/c.dump', join(loc, 'erp/c.dump'));
  symlinkSync('archive', join(loc, 'archived'));
  symlinkSync('../site/b.dump.sha256', join(loc, 'erp/b.dump.sha256'));
  symlinkSync('..', join(loc, 'archive/up'));
  symlinkSync('nowhere.dump', join(loc, 'erp/gone.dump'));
  return { root, loc, outside };
}

for (const deep of [false, true]) {
  t.test(`deep ${deep}: links out are not followed and said where they mattered; links inside are`, async (t) => {
    const { root, loc } = tree(t);
    const datasets = [
      backup('erp', 'erp/*.dump'),
      backup('through', 'old/*.dump'),
      backup('named', 'erp/secret.dump'),
      backup('all', '**/*.dump'),
      backup('site', 'site'),
    ];
    const { copies, status } = await createDiskSource(diskLocation(loc, { followSymlinks: 'inside' })).inventory(
      await sourceContext(t, datasets, { deep }),
    );
    const found = copies.map((copy) => `${copy.dataset} ${copy.path.slice(loc.length)}`).sort();
    t.same(
      found,
      [
        'all /archive/c.dump',
        'all /archived/c.dump',
        'all /erp/a.dump',
        'all /erp/b.dump',
        'all /erp/c.dump',
        'erp /erp/a.dump',
        'erp /erp/b.dump',
        'erp /erp/c.dump',
        'site /site',
      ],
      'every copy inside, through links that stay inside; none through a link out',
    );
    t.same(described(status.issues, root), [
      'warning B321_DANGLING_SYMLINK all /loc/erp/gone.dump',
      'warning B321_DANGLING_SYMLINK erp /loc/erp/gone.dump',
      'warning B321_SYMLINK_LOOP all /loc/archive/up',
      'warning B321_SYMLINK_LOOP all /loc/archived/up',
      'warning B321_SYMLINK_OUTSIDE_LOCATION all /loc/erp/secret.dump → /outside/secret.dump',
      'warning B321_SYMLINK_OUTSIDE_LOCATION all /loc/old → /outside/dumps',
      'warning B321_SYMLINK_OUTSIDE_LOCATION all /loc/site/leak.dump → /outside/secret.dump',
      'warning B321_SYMLINK_OUTSIDE_LOCATION erp /loc/erp/a.dump.sha256 → /outside/a.dump.sha256',
      'warning B321_SYMLINK_OUTSIDE_LOCATION erp /loc/erp/secret.dump → /outside/secret.dump',
      'warning B321_SYMLINK_OUTSIDE_LOCATION named /loc/erp/secret.dump → /outside/secret.dump',
      'warning B321_SYMLINK_OUTSIDE_LOCATION site /loc/site/leak.dump → /outside/secret.dump',
      'warning B321_SYMLINK_OUTSIDE_LOCATION through /loc/old → /outside/dumps',
    ]);
    t.notOk(
      status.issues.some((found) => found.code === 'B321_NO_MATCH'),
      'a pattern that met only a link out is not said to match nothing',
    );
    const byPath = new Map(copies.filter((c) => c.dataset === 'erp').map((copy) => [copy.path, copy]));
    t.notOk(byPath.get(join(loc, 'erp/a.dump'))?.recorded, 'the checksum file out is not read');
    t.match(
      byPath.get(join(loc, 'erp/b.dump'))?.recorded,
      { value: sha('b'), source: 'sidecar' },
      'the checksum file through a link inside is',
    );
    const site = copies.find((copy) => copy.dataset === 'site');
    t.equal(site?.bytes, 'hello'.length + `${sha('b')}  b.dump\n`.length, "the directory copy's own files only");
  });
}

t.test('followSymlinks true follows the same links out; false follows none', async (t) => {
  const { loc } = tree(t);
  const datasets = [backup('erp', 'erp/*.dump'), backup('through', 'old/*.dump')];
  const anywhere = await createDiskSource(diskLocation(loc, { followSymlinks: true })).inventory(
    await sourceContext(t, datasets),
  );
  t.same(anywhere.copies.map((copy) => `${copy.dataset} ${copy.path.slice(loc.length)}`).sort(), [
    'erp /erp/a.dump',
    'erp /erp/b.dump',
    'erp /erp/c.dump',
    'erp /erp/secret.dump',
    'through /old/old.dump',
  ]);
  t.notOk(anywhere.status.issues.some((found) => found.code === 'B321_SYMLINK_OUTSIDE_LOCATION'));
  const none = await createDiskSource(diskLocation(loc, { followSymlinks: false })).inventory(
    await sourceContext(t, datasets),
  );
  t.same(none.copies.map((copy) => `${copy.dataset} ${copy.path.slice(loc.length)}`).sort(), [
    'erp /erp/a.dump',
    'erp /erp/b.dump',
  ]);
  t.same(
    none.status.issues.filter((found) => found.code === 'B321_SYMLINK_NOT_FOLLOWED').map((found) => found.path),
    [join(loc, 'erp/a.dump.sha256'), join(loc, 'erp/b.dump.sha256'), join(loc, 'old')],
    'not even a checksum file is read through a link',
  );
});

t.test('a location whose own path is a link holds what is below where it leads', async (t) => {
  const { root, loc } = tree(t);
  mkdirSync(join(root, 'mnt'));
  const via = join(root, 'mnt', 'backup');
  symlinkSync(loc, via);
  const { copies, status } = await createDiskSource(diskLocation(via, { followSymlinks: 'inside' })).inventory(
    await sourceContext(t, [backup('erp', 'erp/*.dump'), backup('archived', 'archived/*.dump')]),
  );
  t.same(copies.map((copy) => `${copy.dataset} ${copy.path.slice(via.length)}`).sort(), [
    'archived /archived/c.dump',
    'erp /erp/a.dump',
    'erp /erp/b.dump',
    'erp /erp/c.dump',
  ]);
  t.same(
    status.issues
      .filter((found) => found.code === 'B321_SYMLINK_OUTSIDE_LOCATION')
      .map((found) => found.path?.slice(via.length))
      .sort(),
    ['/erp/a.dump.sha256', '/erp/secret.dump'],
    'and still nothing out of it',
  );
});
