// A dataset's census, taken in one pass: the same answers the checks' own passes gave.
import t from 'tap';
import type { AssessedCopy, Copy } from '../../src/model.js';
import { assessCopies } from '../../src/policy/assess.js';
import { takeCensus } from '../../src/policy/census.js';
import { copy, DAY, HOUR, input, POLICY, SHA_A, SHA_B, tapeCopy } from '../helpers/copies.js';

const assessed = (copies: Copy[]): AssessedCopy[] => assessCopies(copies, POLICY, input(copies).now).copies;
const ids = (list: readonly AssessedCopy[]): string[] => list.map((c) => c.id);

t.test('the newest usable copy per device, whichever order the devices come in', async (t) => {
  const copies = assessed([
    copy({ device: 'a', ageMs: 3 * HOUR, path: '/a1' }),
    copy({ device: 'b', ageMs: 2 * HOUR, path: '/b1' }),
    copy({ device: 'a', ageMs: HOUR, path: '/a2' }),
    copy({ device: 'a', ageMs: HOUR, path: '/a3' }),
    copy({ device: 'b', ageMs: 5 * HOUR, path: '/b2' }),
    copy({ device: 'c', ageMs: 2 * DAY, path: '/c1' }),
  ]);
  const facts = takeCensus(copies);
  t.same([...facts.newestOnDevice.keys()], ['a', 'b'], 'devices in the order first met; the stale copy is not usable');
  t.same(
    [...facts.newestOnDevice.values()].map((c) => c.path),
    ['/a2', '/b1'],
    'the newest on each; of two equally new, the first',
  );
  t.same(ids(facts.usable), ids(copies.slice(0, 5)), 'the usable copies in the list order');
  t.same(ids(facts.unusable), ids(copies.slice(5)));
  t.same(takeCensus(copies), facts, "a census is its list's: taken again, the same");
});

t.test('of equally new copies the first counts, also when another device comes between them', async (t) => {
  const copies = assessed([
    copy({ device: 'a', ageMs: HOUR, path: '/a1' }),
    copy({ device: 'b', ageMs: 2 * HOUR, path: '/b1' }),
    copy({ device: 'a', ageMs: HOUR, path: '/a2' }),
    copy({ device: 'b', ageMs: HOUR, path: '/b2' }),
  ]);
  const facts = takeCensus(copies);
  t.same(
    [...facts.newestOnDevice.values()].map((c) => c.path),
    ['/a1', '/b2'],
  );
  t.equal(facts.newestIntact?.path, '/a1', 'the first of the newest backups');
  t.equal(facts.newestUsableBackup?.path, '/a1');
});

t.test('media, offline candidates and the newest copies each check starts from', async (t) => {
  const corrupt = copy({ device: 'n', name: 'erp-latest.dump', sha256: SHA_B, ageMs: 10 * 60_000, path: '/n' });
  const copies = assessed([
    // One restore point on three devices (replicated over two hours), and a fourth copy that disagrees.
    copy({ device: 'x', ageMs: 2 * HOUR, path: '/x', name: 'erp-latest.dump', sha256: SHA_A }),
    copy({ device: 'y', ageMs: 3 * HOUR, path: '/y', name: 'erp-latest.dump', sha256: SHA_A }),
    copy({ device: 'z', ageMs: 4 * HOUR, path: '/z', name: 'erp-latest.dump', sha256: SHA_A }),
    corrupt,
    copy({ role: 'primary', device: 'p', ageMs: 60_000, path: '/p' }),
    tapeCopy({ ageMs: 5 * HOUR }),
    copy({
      device: 'l',
      ageMs: 6 * HOUR,
      path: '/l',
      immutable: { mode: 'COMPLIANCE', retainUntil: '2030-01-01T00:00:00Z' },
    }),
  ]);
  const facts = takeCensus(copies);
  const byPath = (path: string) => copies.find((c) => c.path === path);
  t.same(byPath('/n')?.assessment.notes, ['outvoted'], 'the odd one of four copies of a restore point is outvoted');
  t.same([...facts.media].sort(), ['disk', 'tape']);
  t.same(
    facts.offlineCapable.map((c) => c.path),
    [copies[5]?.path, '/l'],
    'the tape and the locked copy, nothing else',
  );
  t.equal(facts.newestIntact?.path, '/x', 'the outvoted copy is damaged and the primary is no backup');
  t.equal(facts.newestIntactOffline, copies[5], 'the newest intact copy on offline media');
  t.equal(facts.newestUsableBackup?.path, '/x');
});

t.test('a dataset with no copies has no newest anything', async (t) => {
  const facts = takeCensus(assessed([]));
  t.same(facts, {
    usable: [],
    unusable: [],
    newestOnDevice: new Map(),
    media: new Set(),
    offlineCapable: [],
    newestIntact: undefined,
    newestIntactOffline: undefined,
    newestUsableBackup: undefined,
    futureDated: [],
  });
});
