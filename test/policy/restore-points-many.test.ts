// Restore points over many names: what the name table of assessContent must still get right when
// thousands of names share its slots, and the shared assessment of copies of the same age.
import t from 'tap';
import type { Copy } from '../../src/model.js';
import { assessCopies } from '../../src/policy/assess.js';
import { assessContent } from '../../src/policy/restore-points.js';
import { copy, HOUR, NOW, POLICY, SHA_A, SHA_B, SHA_C } from '../helpers/copies.js';

/** `count` dated dumps, each its own restore point, with distinct checksums. */
function datedDumps(count: number): Copy[] {
  return Array.from({ length: count }, (_, i) =>
    copy({ name: `erp-2026-11-${String(i).padStart(5, '0')}.dump`, sha256: i.toString(16).padStart(64, '0') }),
  );
}

t.test('5,000 distinct names: no copy is compared with another, every one is verified', async (t) => {
  const verdicts = assessContent(datedDumps(5000));
  t.equal(verdicts.length, 5000);
  t.same(new Set(verdicts), new Set(['verified']));
});

t.test('a corrupt replica among 5,000 names is found wherever its name lands in the table', async (t) => {
  const copies = datedDumps(5000);
  // Three replicas of restore points spread over the list: two agree, the third disagrees.
  for (const at of [0, 1234, 4999]) {
    const original = copies[at] as Copy;
    copies.push(copy({ name: original.name, sha256: original.sha256 as string }));
    copies.push(copy({ name: original.name, sha256: SHA_B }));
  }
  const verdicts = assessContent(copies);
  const outvoted = verdicts.flatMap((verdict, i) => (verdict === 'outvoted' ? [i] : []));
  t.same(outvoted, [5001, 5003, 5005], 'exactly the disagreeing replicas');
  t.equal(verdicts.filter((verdict) => verdict === 'verified').length, 5003);
});

t.test('names that differ by one character are different restore points', async (t) => {
  // Same length, one code unit apart: they may share a home slot and must still not be compared.
  const copies = [
    copy({ name: 'db-a.dump', sha256: SHA_A }),
    copy({ name: 'db-b.dump', sha256: SHA_B }),
    copy({ name: 'db-c.dump', sha256: SHA_C }),
    copy({ name: 'db-a.dump', sha256: SHA_A }),
  ];
  t.same(assessContent(copies), ['verified', 'verified', 'verified', 'verified']);
  copies.push(copy({ name: 'db-a.dump', sha256: SHA_C }));
  t.same(assessContent(copies), ['verified', 'verified', 'verified', 'verified', 'outvoted']);
});

t.test('a tie between two checksums of one name leaves both sides in conflict', async (t) => {
  const copies = [...datedDumps(300), copy({ name: 'x.dump', sha256: SHA_A }), copy({ name: 'x.dump', sha256: SHA_B })];
  const verdicts = assessContent(copies);
  t.same(verdicts.slice(300), ['conflict', 'conflict']);
});

t.test('usual copies of the same age share one assessment; other ages and notes get their own', async (t) => {
  const copies = [
    copy({ ageMs: HOUR }),
    copy({ ageMs: HOUR }),
    copy({ ageMs: 2 * HOUR }),
    copy({ ageMs: 2 * HOUR, sha256: undefined }),
    copy({ ageMs: 2 * HOUR }),
  ];
  const { copies: assessed } = assessCopies(copies, POLICY, NOW);
  const [a, b, c, d, e] = assessed.map((one) => one.assessment);
  t.equal(a, b, 'same age, both usable: one object');
  t.not(a, c, 'another age: its own');
  t.same(c, { usable: true, notes: [], ageMs: 2 * HOUR });
  // Unverified is no reason to set a copy aside (integrity warns about it), but it is a note of its own.
  t.same(d, { usable: true, notes: ['unverified'], ageMs: 2 * HOUR }, 'an unhashed copy gets its own notes');
  t.not(d, e, 'not the shared one');
  t.same(e, { usable: true, notes: [], ageMs: 2 * HOUR });
  t.same(a, { usable: true, notes: [], ageMs: HOUR });
});

/** FNV-1a, as the name table hashes names: used here only to find names that share a home slot. */
function fnv1a(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash;
}

t.test('40 names that share one home slot (past the probe limit) are still told apart and grouped', async (t) => {
  // 44 copies: a table of 128 slots. Names are picked so that all 40 land on the same home slot.
  const crowd: string[] = [];
  for (let n = 0; crowd.length < 40; n++) {
    const name = `backup-${n}.tar`;
    if ((fnv1a(name) & 127) === 5) crowd.push(name);
  }
  const copies = crowd.map((name, i) => copy({ name, sha256: i.toString(16).padStart(64, '0') }));
  const early = crowd[3] as string;
  const late = crowd[37] as string;
  copies.push(copy({ name: late, sha256: (copies[37] as Copy).sha256 as string }));
  copies.push(copy({ name: late, sha256: SHA_B }));
  copies.push(copy({ name: early, sha256: (copies[3] as Copy).sha256 as string }));
  copies.push(copy({ name: early, sha256: SHA_C }));
  const verdicts = assessContent(copies);
  t.same(
    verdicts.flatMap((verdict, i) => (verdict === 'verified' ? [] : [[i, verdict]])),
    [
      [41, 'outvoted'],
      [43, 'outvoted'],
    ],
    'in the table and in the overflow alike, only the disagreeing replicas',
  );
});
