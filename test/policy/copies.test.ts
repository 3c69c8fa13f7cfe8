// The `copies` rule: at least three usable copies, on distinct devices.
import t from 'tap';
import { assessCopies } from '../../src/policy/assess.js';
import { takeCensus } from '../../src/policy/census.js';
import { checkCopies } from '../../src/policy/copies.js';
import type { Copy } from '../../src/model.js';
import { DAY, HOUR, POLICY, SHA_B, compliantCopies, copy, input, tapeCopy } from '../helpers/copies.js';

function run(copies: Copy[], policy = POLICY) {
  const data = input(copies, { policy });
  const assessed = assessCopies(copies, policy, data.now).copies;
  return checkCopies(data, assessed, takeCensus(assessed));
}

const cases: Array<{
  name: string;
  copies: () => Copy[];
  policy?: typeof POLICY;
  status: string;
  reason: string;
  have: number;
}> = [
  {
    name: 'exactly three copies on three devices pass',
    copies: compliantCopies,
    status: 'pass',
    reason: 'ok',
    have: 3,
  },
  {
    name: 'two copies plus a duplicate on the same device are two copies',
    copies: () => [copy({ device: 'd1' }), copy({ device: 'd1', path: '/backup/other/erp.dump' }), tapeCopy()],
    status: 'fail',
    reason: 'too-few',
    have: 2,
  },
  {
    name: 'a stale copy does not count',
    copies: () => [...compliantCopies().slice(0, 2), copy({ device: 'd9', ageMs: DAY + 60_000 })],
    status: 'fail',
    reason: 'too-few',
    have: 2,
  },
  {
    name: 'a copy that disagrees with its siblings does not count',
    copies: () => [...compliantCopies(), copy({ device: 'd9', sha256: SHA_B })],
    status: 'pass',
    reason: 'ok',
    have: 3,
  },
  {
    name: 'the production data does not count by default',
    copies: () => [...compliantCopies().slice(0, 2), copy({ device: 'prod', role: 'primary' })],
    status: 'fail',
    reason: 'too-few',
    have: 2,
  },
  {
    name: 'the production data counts with countPrimary',
    copies: () => [...compliantCopies().slice(0, 2), copy({ device: 'prod', role: 'primary' })],
    policy: { ...POLICY, countPrimary: true },
    status: 'pass',
    reason: 'ok',
    have: 3,
  },
  { name: 'an empty location leaves no copies', copies: () => [], status: 'fail', reason: 'too-few', have: 0 },
  {
    name: 'minCopies 0 passes as not required',
    copies: () => [],
    policy: { ...POLICY, minCopies: 0 },
    status: 'pass',
    reason: 'not-required',
    have: 0,
  },
  {
    name: 'an offline copy a few days old still counts (held to offlineMaxAge, not the RPO)',
    copies: () => [...compliantCopies().slice(0, 2), tapeCopy({ ageMs: 3 * DAY })],
    status: 'pass',
    reason: 'ok',
    have: 3,
  },
  {
    name: 'an offline copy older than offlineMaxAge does not count',
    copies: () => [...compliantCopies().slice(0, 2), tapeCopy({ ageMs: 8 * DAY })],
    status: 'fail',
    reason: 'too-few',
    have: 2,
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const result = run(c.copies(), c.policy);
    t.equal(result.status, c.status);
    t.equal(result.reason, c.reason);
    t.equal(result.params.have, c.have);
  });
}

t.test('evidence names the counted copies and why the others were not counted', async (t) => {
  const dup = copy({ device: 'd1', path: '/backup/old/erp.dump', ageMs: 2 * HOUR });
  const stale = copy({ device: 'd2', ageMs: 2 * DAY });
  const result = run([copy({ device: 'd1' }), dup, stale]);
  t.equal(result.evidence.counted?.length, 1);
  t.same(
    [...(result.evidence.notCounted ?? [])],
    [
      { copy: dup.id, note: 'same-device' },
      { copy: stale.id, note: 'stale' },
    ],
  );
});
