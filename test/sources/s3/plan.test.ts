// Dataset patterns → what to list and which keys match.
import t from 'tap';
import { listingPrefixes, planPattern } from '../../../src/sources/s3/plan.js';

const dataset = { dataset: 'erp', patterns: [], role: 'backup' as const };

t.test('a plain pattern is an S3 prefix under the location prefix, and may name one key', async (t) => {
  const plan = planPattern('backups/', dataset, 'erp/full.dump');
  t.equal(plan.listPrefix, 'backups/erp/full.dump');
  t.equal(plan.exactKey, 'backups/erp/full.dump');
  t.ok(plan.matches('backups/erp/full.dump'));
  t.equal(planPattern('backups/', dataset, 'erp/').exactKey, undefined, 'a "directory" is not a key');
});

t.test('a glob lists from its static base and matches relative keys', async (t) => {
  const plan = planPattern('backups/', dataset, 'erp/*.dump');
  t.equal(plan.listPrefix, 'backups/erp/');
  t.ok(plan.matches('backups/erp/a.dump'));
  t.notOk(plan.matches('backups/erp/sub/a.dump'));
  t.notOk(plan.matches('other/erp/a.dump'));
  t.equal(planPattern('', dataset, '*.dump').listPrefix, '');
});

t.test('overlapping prefixes are listed once', async (t) => {
  const plans = ['erp/', 'erp/db/', 'mail/'].map((p) => planPattern('', dataset, p));
  t.same(listingPrefixes(plans), ['erp/', 'mail/']);
});
