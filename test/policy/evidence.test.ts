// Evidence lists made when read: the same items, in the same order, in JSON and in every renderer.
import t from 'tap';
import type { Finding } from '../../src/model.js';
import { assessCopies } from '../../src/policy/assess.js';
import { takeCensus } from '../../src/policy/census.js';
import { checkCopies } from '../../src/policy/copies.js';
import { evidenceFor } from '../../src/policy/evidence.js';
import { checkIntegrity } from '../../src/policy/integrity.js';
import { checkMedia } from '../../src/policy/media.js';
import { evidenceLines } from '../../src/report/render/common.js';
import { copy, DAY, input, POLICY, SHA_B } from '../helpers/copies.js';

const assessed = (copies = [copy({ device: 'd1' }), copy({ device: 'd1' }), copy({ device: 'd2', ageMs: 2 * DAY })]) =>
  assessCopies(copies, POLICY, input(copies).now).copies;

t.test('a list names its copies in order, each with its note', async (t) => {
  const [a, b, c] = assessed();
  if (!a || !b || !c) throw new Error('three copies expected');
  const list = evidenceFor([a, b], 'same-device')
    .add([], 'never')
    .add([c], (copy) => copy.assessment.notes.join(','));
  t.equal(list.length, 3);
  const items = [
    { copy: a.id, note: 'same-device' },
    { copy: b.id, note: 'same-device' },
    { copy: c.id, note: 'stale' },
  ];
  t.same([...list], items);
  t.same([...list], items, 'read twice, the same items');
  t.same(JSON.parse(JSON.stringify({ counted: list })), { counted: items }, 'JSON holds the items as an array');
});

t.test('an empty note leaves the item without one, as a plain item has none', async (t) => {
  const [a] = assessed();
  if (!a) throw new Error('a copy expected');
  t.same(JSON.parse(JSON.stringify(evidenceFor([a], ''))), [{ copy: a.id }]);
  t.same(JSON.parse(JSON.stringify(evidenceFor([a]))), [{ copy: a.id }]);
  t.same(JSON.parse(JSON.stringify(evidenceFor([a], () => undefined))), [{ copy: a.id }]);
});

t.test('checks give their evidence as JSON readers and renderers saw it before', async (t) => {
  const copies = [
    copy({ device: 'd1' }),
    copy({ device: 'd1', path: '/backup/b.dump' }),
    copy({ device: 'd2', ageMs: 2 * DAY }),
    copy({ device: 'd3', sha256: SHA_B, name: 'other.dump' }),
  ];
  const data = input(copies);
  const list = assessCopies(copies, POLICY, data.now).copies;
  const [first, second, stale, other] = list;
  if (!first || !second || !stale || !other) throw new Error('four copies expected');
  const census = takeCensus(list);
  const copiesOutcome = checkCopies(data, list, census);
  t.same(JSON.parse(JSON.stringify(copiesOutcome.evidence)), {
    counted: [
      { copy: first.id, note: 'd1' },
      { copy: other.id, note: 'd3' },
    ],
    notCounted: [
      { copy: second.id, note: 'same-device' },
      { copy: stale.id, note: 'stale' },
    ],
  });
  const media = checkMedia(data, list, census);
  t.same(JSON.parse(JSON.stringify(media.evidence)), {
    counted: [first, second, other].map((c) => ({ copy: c.id, note: 'disk' })),
    notCounted: [{ copy: stale.id, note: 'stale' }],
  });
  const integrity = checkIntegrity(data, list, census);
  t.same(
    JSON.parse(JSON.stringify(integrity.evidence)).counted,
    [first, second, stale, other].map((c) => ({ copy: c.id, note: 'hashed' })),
    'a stale copy is still checked content',
  );
  const finding: Finding = { ...copiesOutcome, message: '' };
  const plain: Finding = { ...finding, evidence: JSON.parse(JSON.stringify(finding.evidence)) };
  t.same(evidenceLines('en', finding), evidenceLines('en', plain), 'rendered like the same items as an array');
  t.match(evidenceLines('en', finding).join('\n'), `not counted: ${second.id} (on the same device`);
});
