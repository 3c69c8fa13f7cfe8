// The logs' one time reader: ISO 8601 with a zone, refused when the date or time cannot exist (never rolled over).
import t from 'tap';
import { checkTimestamp, futureDated, isFutureDated } from '../../../src/sources/common/timestamp.js';

t.test('valid times are normalised to UTC, whatever the accepted spelling', async (t) => {
  const table: [string, string][] = [
    ['2026-11-24T08:00:00+07:00', '2026-11-24T01:00:00.000Z'],
    ['2026-11-24 08:00:00+0700', '2026-11-24T01:00:00.000Z'],
    ['2026-11-24T01:00Z', '2026-11-24T01:00:00.000Z'],
    ['2026-11-24t01:00:00.123456789z', '2026-11-24T01:00:00.123Z'],
    ['2026-11-24T01:00:00.5Z', '2026-11-24T01:00:00.500Z'],
    ['2026-01-01T02:00:00+05:45', '2025-12-31T20:15:00.000Z'],
    ['2026-12-31T20:00:00-09:30', '2027-01-01T05:30:00.000Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['0099-06-01T00:00:00Z', '0099-06-01T00:00:00.000Z'],
    ['  2026-11-24T01:00:00Z ', '2026-11-24T01:00:00.000Z'],
  ];
  for (const [text, iso] of table) {
    t.match(checkTimestamp('ts', text), { ok: true, iso, ms: Date.parse(iso) }, text);
  }
});

t.test('impossible dates and times are refused with the field, never shifted to another day', async (t) => {
  const table: [string, string, string][] = [
    ['2026-02-30T00:00:00Z', '"ts" "2026-02-30T00:00:00Z" is not a date: 2026-02 has 28 days', 'time.day'],
    ['2026-02-29T00:00:00Z', '"ts" "2026-02-29T00:00:00Z" is not a date: 2026-02 has 28 days', 'time.day'],
    ['1900-02-29T00:00:00Z', '"ts" "1900-02-29T00:00:00Z" is not a date: 1900-02 has 28 days', 'time.day'],
    ['2026-04-31T00:00:00Z', '"ts" "2026-04-31T00:00:00Z" is not a date: 2026-04 has 30 days', 'time.day'],
    ['2026-11-00T00:00:00Z', '"ts" "2026-11-00T00:00:00Z" is not a date: 2026-11 has 30 days', 'time.day'],
    ['2026-13-01T00:00:00Z', '"ts" "2026-13-01T00:00:00Z" has no month 13', 'time.month'],
    ['2026-00-01T00:00:00Z', '"ts" "2026-00-01T00:00:00Z" has no month 00', 'time.month'],
    ['2026-11-24T24:00:00Z', '"ts" "2026-11-24T24:00:00Z" is not a time of day (00:00:00 to 23:59:59)', 'time.clock'],
    ['2026-11-24T23:60:00Z', '"ts" "2026-11-24T23:60:00Z" is not a time of day (00:00:00 to 23:59:59)', 'time.clock'],
    ['2026-11-24T23:59:60Z', '"ts" "2026-11-24T23:59:60Z" is not a time of day (00:00:00 to 23:59:59)', 'time.clock'],
    [
      '2026-11-24T08:00:00+15:00',
      '"ts" "2026-11-24T08:00:00+15:00" has no such zone offset (offsets run from -12:00 to +14:00)',
      'time.offset',
    ],
    [
      '2026-11-24T08:00:00+07:60',
      '"ts" "2026-11-24T08:00:00+07:60" has no such zone offset (offsets run from -12:00 to +14:00)',
      'time.offset',
    ],
  ];
  for (const [text, problem, reason] of table) {
    const checked = checkTimestamp('ts', text);
    t.has(checked, { ok: false, problem }, text);
    // The rule broken, as a phrase: a log's issue and drill record's flags are worded from it in each language.
    t.equal(checked.ok ? undefined : checked.why.problem, reason, `${text}: ${reason}`);
  }
});

t.test('what is not an ISO 8601 time with a zone is refused as such', async (t) => {
  for (const value of [
    '2026-11-24',
    '2026-11-24T08:00:00',
    'yesterday',
    '24/11/2026 08:00 +07:00',
    '2026-11-24T08:00:00 +07:00',
    '',
    42,
    null,
    undefined,
  ]) {
    const checked = checkTimestamp('finishedAt', value);
    t.equal(checked.ok, false, String(value));
    if (!checked.ok) t.match(checked.problem, /^"finishedAt" must be an ISO 8601 time with a zone \(got /);
  }
  t.match(checkTimestamp('ts', undefined), { problem: /\(got nothing\)/ });
});

t.test('future-dated means further ahead of the run clock than the skew', async (t) => {
  const clock = { nowMs: Date.parse('2026-11-24T00:00:00Z'), skewMs: 5 * 60_000 };
  t.notOk(isFutureDated(clock.nowMs + 5 * 60_000, clock), 'exactly the skew ahead is still now');
  t.ok(isFutureDated(clock.nowMs + 5 * 60_000 + 1, clock));
  t.notOk(isFutureDated(clock.nowMs - 1e12, clock));
  t.equal(
    futureDated('2062-01-01T00:00:00.000Z', clock),
    "2062-01-01T00:00:00.000Z is more than 5 min ahead of this machine's clock (2026-11-24T00:00:00.000Z)",
  );
  t.match(futureDated('2062-01-01T00:00:00.000Z', { ...clock, skewMs: 30_000 }), /more than 30 s ahead/);
});
