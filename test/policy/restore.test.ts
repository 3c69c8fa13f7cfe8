// The restore target: the fastest restore of a usable copy within the RTO, and a recent successful drill.
import t from 'tap';
import { assessCopies } from '../../src/policy/assess.js';
import { takeCensus } from '../../src/policy/census.js';
import { checkRestoreDrill } from '../../src/policy/restore-drill.js';
import { checkRestoreTime } from '../../src/policy/restore-time.js';
import type { Copy, DrillLog, DrillRecord } from '../../src/model.js';
import type { DatasetInput } from '../../src/policy/types.js';
import { DAY, HOUR, NOW, POLICY, copy, input, tapeCopy } from '../helpers/copies.js';

function run(check: typeof checkRestoreTime, copies: Copy[], overrides: Partial<DatasetInput> = {}) {
  const data = input(copies, overrides);
  const assessed = assessCopies(copies, data.policy, data.now).copies;
  return check(data, assessed, takeCensus(assessed));
}

const rate = (bytesPerSec: number, retrievalMs = 0) => ({
  restore: { retrievalMs, throughputBytesPerSec: bytesPerSec, throughputSource: 'configured' as const },
});

t.test('restore-time: the arithmetic is retrieval + size ÷ throughput + overhead, fastest copy wins', async (t) => {
  const disk = copy({ bytes: 360_000_000_000, ...rate(100_000_000) }); // 3600 s = 1 h
  const tape = tapeCopy({ bytes: 360_000_000_000, ...rate(300_000_000, 6 * HOUR) }); // 6 h + 20 min
  const result = run(checkRestoreTime, [disk, tape], {
    policy: { ...POLICY, rtoMs: 8 * HOUR, restoreOverheadMs: 2 * HOUR },
  });
  t.match(result, { status: 'pass', reason: 'ok', params: { estimateMs: 3 * HOUR, rtoMs: 8 * HOUR, copy: disk.id } });
  t.match(result.evidence.arithmetic, {
    bytes: 360_000_000_000,
    throughputBytesPerSec: 100_000_000,
    retrievalMs: 0,
    transferMs: HOUR,
    overheadMs: 2 * HOUR,
    totalMs: 3 * HOUR,
  });
});

t.test('restore-time: only a tape in the vault, 6 h away, misses an 8 h RTO with 3 h of reading', async (t) => {
  const tape = tapeCopy({ bytes: 1_080_000_000_000, ...rate(100_000_000, 6 * HOUR) });
  t.match(run(checkRestoreTime, [tape], { policy: { ...POLICY, rtoMs: 8 * HOUR } }), {
    status: 'fail',
    reason: 'too-slow',
    params: { estimateMs: 9 * HOUR },
  });
});

t.test('restore-time: without a throughput the estimate is unknown, not a pass', async (t) => {
  t.match(run(checkRestoreTime, [copy()]), { status: 'unknown', reason: 'no-throughput' });
});

t.test('restore-time: with no usable copy there is nothing to restore', async (t) => {
  t.match(run(checkRestoreTime, [copy({ ageMs: 3 * DAY, ...rate(1e9) })]), {
    status: 'fail',
    reason: 'no-usable-copy',
  });
});

const drill = (
  finishedAgoMs: number,
  tookMs: number,
  result: DrillRecord['result'] = 'success',
  dataset = 'erp-db',
): DrillRecord => ({
  dataset,
  startedAt: new Date(NOW.getTime() - finishedAgoMs - tookMs).toISOString(),
  finishedAt: new Date(NOW.getTime() - finishedAgoMs).toISOString(),
  result,
  ref: 'drills.jsonl:1',
});
const log = (...records: DrillRecord[]): DrillLog => ({ configured: true, readable: true, records, issues: [] });

const drillCases: Array<[string, DrillLog, string, string, Partial<typeof POLICY>?]> = [
  [
    'an earlier quick drill within drillMaxAge passes though the latest was slow',
    log(drill(40 * DAY, 2 * HOUR), drill(DAY, 9 * HOUR)),
    'pass',
    'ok',
    { rtoMs: 8 * HOUR },
  ],
  ['a drill dated in the future (a typo) is ignored', log(drill(-400 * DAY, HOUR)), 'fail', 'none'],
  ['a successful drill 20 days ago that took 3 h passes', log(drill(20 * DAY, 3 * HOUR)), 'pass', 'ok'],
  ['the latest drill failed', log(drill(30 * DAY, HOUR), drill(DAY, HOUR, 'failure')), 'fail', 'failed'],
  [
    'an older failure does not matter once a later drill succeeded',
    log(drill(30 * DAY, HOUR, 'failure'), drill(DAY, HOUR)),
    'pass',
    'ok',
  ],
  ['the last drill is older than drillMaxAge', log(drill(91 * DAY, HOUR)), 'fail', 'stale'],
  ['the drill took longer than the RTO', log(drill(DAY, 9 * HOUR)), 'fail', 'too-slow', { rtoMs: 8 * HOUR }],
  ['no drill recorded', log(), 'fail', 'none'],
  ["another dataset's drill does not count", log(drill(DAY, HOUR, 'success', 'mail')), 'fail', 'none'],
  [
    'an unreadable drill log leaves it unknown',
    { configured: true, readable: false, records: [], issues: [] },
    'unknown',
    'log-unreadable',
  ],
  ['drills switched off (drillMaxAge 0) are not required', log(), 'pass', 'not-required', { drillMaxAgeMs: 0 }],
];

for (const [name, drills, status, reason, policy] of drillCases) {
  t.test(`restore-drill: ${name}`, async (t) => {
    t.match(run(checkRestoreDrill, [], { drills, policy: { ...POLICY, ...policy } }), { status, reason });
  });
}

t.test('restore-time: the estimate is for the newest backup, even when an older one would be faster', async (t) => {
  const newest = copy({ name: 'erp-1124.dump', bytes: 720_000_000_000, ageMs: HOUR, ...rate(100_000_000) }); // 2 h
  const older = copy({ name: 'erp-1123.dump', bytes: 1_000, ageMs: 20 * HOUR, ...rate(100_000_000) });
  const replica = tapeCopy({ name: 'erp-1124.dump', bytes: 720_000_000_000, ageMs: HOUR, ...rate(400_000_000, HOUR) }); // 1 h 30 m
  const result = run(checkRestoreTime, [newest, older, replica]);
  t.match(result, { status: 'pass', params: { estimateMs: HOUR + 30 * 60_000, copy: replica.id } });
});

t.test('restore-drill: the clock skew is the policy’s', async (t) => {
  const tenMinutesAhead = drill(-10 * 60_000, HOUR);
  t.match(run(checkRestoreDrill, [], { drills: log(tenMinutesAhead) }), { status: 'fail', reason: 'none' });
  t.match(run(checkRestoreDrill, [], { drills: log(tenMinutesAhead), policy: { ...POLICY, clockSkewMs: HOUR } }), {
    status: 'pass',
  });
});

const sized = (record: DrillRecord, bytes: number): DrillRecord => ({ ...record, bytes });

t.test('restore-time: a probe that says a second cannot beat a drill that took three hours', async (t) => {
  const dump = copy({ bytes: 200_000_000_000, ...rate(100_000_000_000) }); // 2 s by the model
  const result = run(checkRestoreTime, [dump], {
    drills: log(sized(drill(10 * DAY, 3 * HOUR), 100_000_000_000)),
    policy: { ...POLICY, rtoMs: 4 * HOUR },
  });
  t.match(result, { status: 'fail', reason: 'too-slow', params: { estimateMs: 6 * HOUR, basis: 'drill' } });
  t.match(result.evidence.arithmetic, {
    modelMs: 2_000,
    drillMs: 3 * HOUR,
    drillBytes: 100_000_000_000,
    drillScaledMs: 6 * HOUR,
    totalMs: 6 * HOUR,
    basis: 'drill',
  });
});

t.test('restore-time: the model stands when it is slower than the drill', async (t) => {
  const dump = copy({ bytes: 360_000_000_000, ...rate(100_000_000) }); // 1 h
  const result = run(checkRestoreTime, [dump], { drills: log(drill(DAY, 10 * 60_000)) });
  t.match(result, { status: 'pass', params: { estimateMs: HOUR, basis: 'model' } });
  t.match(result.evidence.arithmetic, { modelMs: HOUR, drillMs: 10 * 60_000, drillScaledMs: 10 * 60_000 });
});

t.test('restore-time: a drill of a bigger restore is not scaled down', async (t) => {
  const dump = copy({ bytes: 1_000 });
  const result = run(checkRestoreTime, [dump], { drills: log(sized(drill(DAY, 2 * HOUR), 1_000_000)) });
  t.match(result, { status: 'pass', params: { estimateMs: 2 * HOUR, basis: 'drill' } });
});

t.test('restore-time: with no throughput known, a recent drill decides', async (t) => {
  t.match(run(checkRestoreTime, [copy()], { drills: log(drill(DAY, 30 * HOUR)) }), {
    status: 'fail',
    reason: 'too-slow',
    params: { estimateMs: 30 * HOUR, basis: 'drill' },
  });
});

t.test('restore-time: failed, too old and future-dated drills measure nothing', async (t) => {
  const drills = log(drill(DAY, 30 * HOUR, 'failure'), drill(100 * DAY, 30 * HOUR), drill(-DAY, 30 * HOUR));
  t.match(run(checkRestoreTime, [copy()], { drills }), { status: 'unknown', reason: 'no-throughput' });
});
