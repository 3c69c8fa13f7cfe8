// A FIFO where a backup or a checksum file is expected: open() on a FIFO waits for a writer, so an
// inventory that opened one the usual way would never end. Each is refused or warned about instead,
// and the rest of the location is read.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { createDiskSource } from '../../../src/sources/disk/source.js';
import { backup, diskLocation, sourceContext } from './context.js';

const mkfifo = (t: Test, path: string) => t.equal(spawnSync('mkfifo', [path]).status, 0, `mkfifo ${path}`);

t.test('a FIFO as sidecar, as manifest and as backup file: warned or refused, never waited on', async (t) => {
  const root = t.testdir({ erp: { 'a.dump': 'aaaa', 'b.dump': 'bb' }, mail: { 'c.dump': 'c' } });
  mkfifo(t, join(root, 'erp/a.dump.sha256'));
  mkfifo(t, join(root, 'mail/SHA256SUMS'));
  mkfifo(t, join(root, 'erp/pipe.dump'));
  const ctx = await sourceContext(t, [backup('erp', 'erp/*.dump'), backup('mail', 'mail/*.dump')]);
  const { copies, status } = await createDiskSource(diskLocation(root)).inventory(ctx);

  t.same(copies.map((copy) => copy.name).sort(), ['a.dump', 'b.dump', 'c.dump'], 'every real copy is read');
  t.ok(
    copies.every((copy) => copy.recorded === undefined && copy.sha256 !== undefined),
    'no checksum is taken from a FIFO; each copy is still hashed',
  );
  const about = (path: string) => status.issues.filter((found) => found.path === join(root, path));
  t.match(about('erp/a.dump.sha256'), [{ code: 'B321_BAD_CHECKSUM_FILE', params: { problem: 'checksum.unreadable' } }]);
  t.match(about('mail/SHA256SUMS'), [{ code: 'B321_BAD_CHECKSUM_FILE', params: { problem: 'checksum.unreadable' } }]);
  t.match(about('erp/pipe.dump'), [{ code: 'B321_SPECIAL_FILE', params: { kind: 'special.fifo' } }]);
});
