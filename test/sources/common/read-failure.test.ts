// What a refused or failed read is called: one errno mapping for every source, and an I/O error is
// never "permission denied" (a disk that starts failing must not read as a wrong chmod).
import t from 'tap';
import { sourceIssue } from '../../../src/issues.js';
import { readFailureCode } from '../../../src/sources/common/read-failure.js';
import { createDiskSource } from '../../../src/sources/disk/source.js';
import { sourceState } from '../../../src/sources/source.js';
import { backup, diskLocation, sourceContext } from '../disk/context.js';

t.test('denied reads are B321_EACCES, I/O errors B321_IO_ERROR, the rest is the caller’s to name', async (t) => {
  t.equal(readFailureCode('EACCES'), 'B321_EACCES');
  t.equal(readFailureCode('EPERM'), 'B321_EACCES');
  t.equal(readFailureCode('EIO'), 'B321_IO_ERROR');
  for (const errno of ['ENOENT', 'ENOTDIR', 'ELOOP', 'EISDIR', undefined]) t.equal(readFailureCode(errno), undefined);
});

// The kernel answers a read of /proc/self/mem at offset 0 (an address never mapped) with EIO: a real
// I/O error from a real read, on a file stat() calls regular, without a failing disk.
t.test('a file whose read fails with EIO is a B321_IO_ERROR warning, not B321_EACCES', async (t) => {
  for (const deep of [false, true]) {
    const ctx = await sourceContext(t, [backup('mem', 'mem')], { deep });
    const { copies, status } = await createDiskSource(diskLocation('/proc/self')).inventory(ctx);
    t.match(copies, [{ name: 'mem', hashError: 'unreadable' }], `deep ${deep}: the copy stays, unverified`);
    t.same(
      status.issues.map((issue) => [issue.severity, issue.code, issue.dataset, issue.path]),
      [['warning', 'B321_IO_ERROR', 'mem', '/proc/self/mem']],
      `deep ${deep}`,
    );
    t.match(
      status.issues[0]?.message,
      /^input\/output error reading file \/proc\/self\/mem, the device may be failing: EIO/,
    );
    t.equal(status.status, 'degraded');
  }
});

t.test("a location's state follows its issues: any error unreadable, warnings degraded, none ok", async (t) => {
  const warning = sourceIssue(
    'B321_NO_MATCH',
    { pattern: 'x', where: 'where.directory', root: '/b' },
    { severity: 'warning' },
  );
  const error = sourceIssue('B321_LOCATION_MISSING', { path: '/b' }, { severity: 'error' });
  t.equal(sourceState([]), 'ok');
  t.equal(sourceState([warning]), 'degraded');
  t.equal(sourceState([warning, error]), 'unreadable');
});
