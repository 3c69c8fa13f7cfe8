// A dataset's verdict, what unreadable sources leave undecided, and the exit code over several datasets.
import t from 'tap';
import {
  evaluateDataset,
  exitCodeFor,
  overallVerdict,
  undecidedIfUnseenCouldOverturn,
  verdictOf,
} from '../../src/policy/evaluate.js';
import { outcome } from '../../src/policy/outcome.js';
import type { Verdict } from '../../src/model.js';
import { DAY, HOUR, NOW, compliantCopies, input } from '../helpers/copies.js';

const withRate = () =>
  compliantCopies().map((c) => ({
    ...c,
    restore: { retrievalMs: 0, throughputBytesPerSec: 1e9, throughputSource: 'configured' as const },
  }));
const goodDrill = {
  configured: true,
  readable: true,
  issues: [],
  records: [
    {
      dataset: 'erp-db',
      startedAt: new Date(NOW.getTime() - DAY - HOUR).toISOString(),
      finishedAt: new Date(NOW.getTime() - DAY).toISOString(),
      result: 'success' as const,
      ref: 'd:1',
    },
  ],
};

t.test('a dataset that meets every rule is compliant, with one finding per check in a fixed order', async (t) => {
  const result = evaluateDataset(input(withRate(), { drills: goodDrill }));
  t.equal(result.verdict, 'compliant');
  t.same(
    result.outcomes.map((o) => o.check),
    ['copies', 'media', 'offline', 'freshness', 'integrity', 'restore-time', 'restore-drill'],
  );
  t.ok(result.outcomes.every((o) => o.status === 'pass'));
});

t.test('an unreadable location makes copies unknown, never pass', async (t) => {
  const copies = withRate().slice(0, 2); // the vault could not be read
  const result = evaluateDataset(input(copies, { drills: goodDrill, unreadable: ['vault'] }));
  const copiesFinding = result.outcomes.find((o) => o.check === 'copies');
  t.match(copiesFinding, {
    status: 'unknown',
    reason: 'source-unreadable',
    params: { wouldBe: 'too-few', locations: 'vault' },
  });
  t.equal(result.verdict, 'unknown');
});

t.test('settling unreadable sources: passes that hold without them stand, fails of integrity stand', async (t) => {
  const table: Array<[string, 'pass' | 'fail' | 'warn', string]> = [
    ['copies', 'pass', 'pass'],
    ['copies', 'fail', 'unknown'],
    ['freshness', 'warn', 'unknown'],
    ['integrity', 'fail', 'fail'],
    ['integrity', 'pass', 'unknown'],
    ['integrity', 'warn', 'unknown'],
    ['restore-drill', 'fail', 'fail'],
  ];
  for (const [check, status, settled] of table) {
    t.equal(
      undecidedIfUnseenCouldOverturn(outcome(check as never, status, 'x'), ['nas']).status,
      settled,
      `${check} ${status} → ${settled}`,
    );
    t.equal(
      undecidedIfUnseenCouldOverturn(outcome(check as never, status, 'x'), []).status,
      status,
      `${check} ${status} with all sources read`,
    );
  }
});

t.test('verdicts: any fail is non-compliant, then unknown, then at-risk', async (t) => {
  t.equal(verdictOf(['pass', 'pass']), 'compliant');
  t.equal(verdictOf(['pass', 'warn']), 'at-risk');
  t.equal(verdictOf(['warn', 'unknown']), 'unknown');
  t.equal(verdictOf(['unknown', 'fail', 'warn']), 'non-compliant');
});

t.test('over several datasets the worst wins in the order 2, 3, 1, 0', async (t) => {
  const table: Array<[Verdict[], number]> = [
    [['compliant', 'compliant'], 0],
    [['compliant', 'at-risk'], 1],
    [['at-risk', 'unknown'], 3],
    [['unknown', 'non-compliant', 'at-risk'], 2],
    [[], 3],
  ];
  for (const [verdicts, code] of table)
    t.equal(exitCodeFor(overallVerdict(verdicts)), code, verdicts.join(',') || 'no datasets');
});

t.test('a copy whose bytes cannot be read makes the checks it could change unknown', async (t) => {
  const copies = withRate();
  copies[1] = { ...copies[1], sha256: undefined, hashError: 'unreadable' } as (typeof copies)[number];
  const result = evaluateDataset(input(copies, { drills: goodDrill }));
  t.match(
    result.outcomes.find((o) => o.check === 'copies'),
    { status: 'unknown', params: { wouldBe: 'too-few' } },
  );
  t.match(
    result.outcomes.find((o) => o.check === 'integrity'),
    { status: 'unknown' },
  );
  t.equal(result.verdict, 'unknown');
});

t.test('a dataset whose only location cannot be read is unknown, not non-compliant', async (t) => {
  const result = evaluateDataset(
    input([], { drills: goodDrill, unreadable: ['local'], locations: ['local'], offlineLocations: [] }),
  );
  t.equal(result.outcomes.find((o) => o.check === 'integrity')?.status, 'unknown', 'no copies seen is not no copies');
  t.equal(result.verdict, 'unknown');
});
