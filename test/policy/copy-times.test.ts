// Copies dated ahead of the clock, and a copy's data time: the age of its data, not of the copy.
import t from 'tap';
import type { Copy } from '../../src/model.js';
import { assessCopies } from '../../src/policy/assess.js';
import { takeCensus } from '../../src/policy/census.js';
import { copyTimes } from '../../src/policy/copy-times.js';
import { evaluateDataset } from '../../src/policy/evaluate.js';
import { checkFreshness } from '../../src/policy/freshness.js';
import type { DatasetInput } from '../../src/policy/types.js';
import { DAY, HOUR, NOW, POLICY, compliantCopies, copy, input, tapeCopy } from '../helpers/copies.js';

const MINUTE = 60_000;
const at = (iso: string): string => new Date(iso).toISOString();

function freshness(copies: Copy[], overrides: Partial<DatasetInput> = {}) {
  const data = input(copies, overrides);
  const assessed = assessCopies(copies, data.policy, data.now).copies;
  return checkFreshness(data, assessed, takeCensus(assessed));
}

t.test('a dump with an mtime in 2030 is not the newest copy: freshness warns and names it', async (t) => {
  const future = copy({ location: 'nas', modifiedAt: at('2030-01-01T00:00:00Z'), device: 'nas-1' });
  const result = freshness([...compliantCopies(), future]);
  t.match(result, { status: 'warn', reason: 'future-timestamp' });
  t.match(result.params, { future: 1, copy: future.id, modifiedAt: '2030-01-01T00:00:00.000Z' });
  t.match(result.params, { ageMs: HOUR }, 'the age judged is the newest dated copy’s');
  t.same([...(result.evidence.notCounted ?? [])], [{ copy: future.id, note: 'future-timestamp' }]);
});

t.test(
  'a copy dated in the future is never fresh, never usable, and keeps its time as the source gave it',
  async (t) => {
    const future = copy({ modifiedAt: at('2030-01-01T00:00:00Z') });
    const [assessed] = assessCopies([future], POLICY, NOW).copies;
    t.equal(assessed?.assessment.usable, false);
    t.ok(assessed?.assessment.notes.includes('future-timestamp'));
    t.equal(assessed?.modifiedAt, '2030-01-01T00:00:00.000Z');
    t.ok((assessed?.assessment.ageMs ?? 0) < 0, 'its age is negative, as it is');
  },
);

t.test('when every copy is dated in the future, freshness fails: no copy has a known age', async (t) => {
  const result = freshness([copy({ modifiedAt: at('2030-01-01T00:00:00Z') })]);
  t.match(result, { status: 'fail', reason: 'future-only', params: { future: 1 } });
});

t.test('a media-log `written` event dated 2062 does not make a tape fresh', async (t) => {
  const tape = tapeCopy({ modifiedAt: at('2062-03-01T00:00:00Z') });
  const result = evaluateDataset(input([copy({ ageMs: 3 * DAY }), tape]));
  const freshnessFinding = result.outcomes.find((o) => o.check === 'freshness');
  t.match(freshnessFinding, { status: 'fail', reason: 'stale' });
  t.same(
    [...(freshnessFinding?.evidence.notCounted ?? [])],
    [{ copy: tape.id, note: 'future-timestamp' }],
    'the future-dated tape is named',
  );
  const offline = result.outcomes.find((o) => o.check === 'offline');
  t.match(offline, { status: 'fail' }, 'a tape of unknown age is no usable offline copy');
});

t.test('a time within the clock skew is not future-dated; the skew is the policy’s', async (t) => {
  const ahead = copy({ modifiedAt: new Date(NOW.getTime() + 2 * MINUTE).toISOString() });
  t.same(assessCopies([ahead], POLICY, NOW).copies[0]?.assessment.notes, [], 'two minutes ahead: within 5 min');
  t.match(freshness([ahead]), { status: 'pass' });
  const strict = { ...POLICY, clockSkewMs: MINUTE };
  t.same(assessCopies([ahead], strict, NOW).copies[0]?.assessment.notes, ['future-timestamp'], 'skew of 1 min');
});

t.test('a 16-day-old dump copied to a USB disk today is 16 days old', async (t) => {
  const sha256 = 'd'.repeat(64);
  const dump = copy({ name: 'erp-1120.dump', sha256, ageMs: 16 * DAY });
  const usb = tapeCopy({
    name: 'erp-1120.dump',
    medium: 'removable-disk',
    recorded: { value: sha256, source: 'media-log', ref: 'vault.jsonl:7' },
    ageMs: 512,
  });
  const assessed = assessCopies([dump, usb], POLICY, NOW).copies;
  const usbAssessed = assessed[1];
  t.equal(usbAssessed?.assessment.ageMs, 16 * DAY, 'the age of its data');
  t.equal(usbAssessed?.assessment.dataTime, dump.modifiedAt, 'the data time shown beside the copy’s own time');
  t.equal(usbAssessed?.modifiedAt, usb.modifiedAt, 'the copy’s own time stays as written');
  t.ok(usbAssessed?.assessment.notes.includes('stale'), 'older than offlineMaxAge: not usable');
  t.match(freshness([dump, usb]), { status: 'fail', reason: 'stale', params: { ageMs: 16 * DAY } });
});

t.test('a media copy’s own dataTime (the source file’s mtime) dates its data without any other copy', async (t) => {
  const usb = tapeCopy({ ageMs: 512, dataTime: new Date(NOW.getTime() - 16 * DAY).toISOString() });
  const [assessed] = assessCopies([usb], POLICY, NOW).copies;
  t.equal(assessed?.assessment.ageMs, 16 * DAY);
  t.equal(assessed?.assessment.dataTime, usb.dataTime);
});

t.test('a copy whose data is as old as its own time carries no separate data time', async (t) => {
  const [assessed] = assessCopies([copy()], POLICY, NOW).copies;
  t.equal(assessed?.assessment.dataTime, undefined);
  t.equal(assessed?.assessment.ageMs, HOUR);
});

t.test(
  'content dates only copies of the same content; the production data and future-dated copies lend no time',
  async (t) => {
    const sha256 = 'e'.repeat(64);
    const primary = copy({ role: 'primary', sha256, ageMs: 30 * DAY });
    const future = copy({ sha256, modifiedAt: at('2030-01-01T00:00:00Z') });
    const other = copy({ sha256: 'f'.repeat(64), ageMs: 20 * DAY });
    const fresh = copy({ sha256, ageMs: HOUR });
    const times = copyTimes([primary, future, other, fresh], NOW.getTime(), POLICY.clockSkewMs);
    t.equal(times.dataMs[3], NOW.getTime() - HOUR, 'the backup that matches the live data is as fresh as itself');
    t.same([...times.future], [0, 1, 0, 0]);
  },
);
