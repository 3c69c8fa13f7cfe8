// The `media` and `offline` rules: two medium classes, and one copy on media that are offline now.
import t from 'tap';
import { assessCopies } from '../../src/policy/assess.js';
import { takeCensus } from '../../src/policy/census.js';
import { checkMedia } from '../../src/policy/media.js';
import { checkOffline } from '../../src/policy/offline.js';
import type { Copy } from '../../src/model.js';
import type { DatasetInput } from '../../src/policy/types.js';
import { DAY, HOUR, NOW, POLICY, compliantCopies, copy, input, tapeCopy } from '../helpers/copies.js';

function run(check: typeof checkMedia, copies: Copy[], overrides: Partial<DatasetInput> = {}) {
  const data = input(copies, overrides);
  const assessed = assessCopies(copies, data.policy, data.now).copies;
  return check(data, assessed, takeCensus(assessed));
}

t.test('media: copies on disk, a NAS and tape span three classes', async (t) => {
  const result = run(checkMedia, compliantCopies());
  t.match(result, { status: 'pass', reason: 'ok', params: { have: 3, need: 2, media: 'disk, network-share, tape' } });
});

t.test('media: three disks are one medium class', async (t) => {
  const result = run(checkMedia, [copy(), copy(), copy()]);
  t.match(result, { status: 'fail', reason: 'too-few', params: { have: 1, need: 2 } });
});

t.test('media: a stale tape does not bring its class', async (t) => {
  const result = run(checkMedia, [copy(), copy(), tapeCopy({ ageMs: 10 * DAY })]);
  t.match(result, { status: 'fail', params: { have: 1 } });
});

t.test('media: minMedia 0 is not required', async (t) => {
  t.match(run(checkMedia, [], { policy: { ...POLICY, minMedia: 0 } }), { status: 'pass', reason: 'not-required' });
});

const lock = (mode: 'COMPLIANCE' | 'GOVERNANCE', untilMs: number) => ({
  locationType: 's3' as const,
  location: 'cloud',
  medium: 'object-storage' as const,
  immutable: { mode, retainUntil: new Date(NOW.getTime() + untilMs).toISOString() },
});

const offlineCases: Array<{
  name: string;
  copies: () => Copy[];
  policy?: Partial<typeof POLICY>;
  status: string;
  reason: string;
  note?: string;
  noVault?: boolean;
}> = [
  { name: 'a tape logged offline and not attached counts', copies: compliantCopies, status: 'pass', reason: 'ok' },
  {
    name: 'a tape logged offline but attached now does not count',
    copies: () => [copy(), tapeCopy({ offline: false, offlineReason: 'attached-now' })],
    status: 'fail',
    reason: 'attached-now',
    note: 'attached-now',
  },
  {
    name: 'a tape whose attachment could not be checked does not count, and the finding says why',
    copies: () => [copy(), tapeCopy({ offline: false, offlineReason: 'attachment-unknown' })],
    status: 'fail',
    reason: 'attachment-unknown',
    note: 'attachment-unknown',
  },
  {
    name: 'a USB disk whose last event is "online" does not count',
    copies: () => [copy(), tapeCopy({ medium: 'removable-disk', offline: false, offlineReason: 'state-online' })],
    status: 'fail',
    reason: 'too-few',
    note: 'state-online',
  },
  {
    name: 'an offline copy older than offlineMaxAge does not count',
    copies: () => [copy(), tapeCopy({ ageMs: 7 * DAY + HOUR })],
    status: 'fail',
    reason: 'too-few',
    note: 'stale',
  },
  {
    name: 'without an offline location the finding says so',
    copies: () => [copy(), copy()],
    status: 'fail',
    reason: 'no-offline-location',
    noVault: true,
  },
  {
    name: 'minOffline 0 passes as not required',
    copies: () => [copy()],
    policy: { minOffline: 0 },
    status: 'pass',
    reason: 'not-required',
  },
  {
    name: 'a COMPLIANCE Object Lock does not count by default (the letter says offline)',
    copies: () => [copy(), copy(lock('COMPLIANCE', 30 * DAY))],
    status: 'fail',
    reason: 'no-offline-location',
    note: 'lock-not-counted',
    noVault: true,
  },
  {
    name: 'with immutableCountsAsOffline a COMPLIANCE lock beyond the horizon counts',
    copies: () => [copy(), copy(lock('COMPLIANCE', 30 * DAY))],
    policy: { immutableCountsAsOffline: true },
    status: 'pass',
    reason: 'ok',
  },
  {
    name: 'a GOVERNANCE lock never counts (it can be bypassed)',
    copies: () => [copy(), copy(lock('GOVERNANCE', 30 * DAY))],
    policy: { immutableCountsAsOffline: true },
    status: 'fail',
    reason: 'too-few',
    note: 'lock-not-counted',
  },
  {
    name: 'a COMPLIANCE lock that expires before the next copy is due does not count',
    copies: () => [copy(), copy(lock('COMPLIANCE', 12 * HOUR))],
    policy: { immutableCountsAsOffline: true },
    status: 'fail',
    reason: 'too-few',
  },
];

for (const c of offlineCases) {
  t.test(`offline: ${c.name}`, async (t) => {
    const result = run(checkOffline, c.copies(), {
      policy: { ...POLICY, ...c.policy },
      ...(c.noVault ? { offlineLocations: [] } : {}),
    });
    t.equal(result.status, c.status);
    t.equal(result.reason, c.reason);
    if (c.note)
      t.ok(
        [...(result.evidence.notCounted ?? [])].some((e) => e.note === c.note),
        `evidence says ${c.note}`,
      );
  });
}

t.test('offline: two files on one tape are one offline copy', async (t) => {
  const result = run(checkOffline, [tapeCopy(), tapeCopy({ path: 'media:LTO-000142/other' })], {
    policy: { ...POLICY, minOffline: 2 },
  });
  t.match(result, { status: 'fail', params: { have: 1, need: 2 } });
  t.ok([...(result.evidence.notCounted ?? [])].some((e) => e.note === 'same-device'));
});

t.test('every locked copy says how strong its lock is now', async (t) => {
  const table: Array<[Copy['immutable'], string]> = [
    [{ mode: 'COMPLIANCE', retainUntil: new Date(NOW.getTime() + 30 * DAY).toISOString() }, 'lock-compliance'],
    [{ mode: 'GOVERNANCE', retainUntil: new Date(NOW.getTime() + 30 * DAY).toISOString() }, 'lock-governance'],
    [{ mode: 'COMPLIANCE', retainUntil: new Date(NOW.getTime() + HOUR).toISOString() }, 'lock-ending'],
    [{ mode: 'COMPLIANCE', retainUntil: new Date(NOW.getTime() - HOUR).toISOString() }, 'lock-expired'],
    [
      { mode: 'GOVERNANCE', retainUntil: new Date(NOW.getTime() - HOUR).toISOString(), legalHold: true },
      'legal-hold-only',
    ],
  ];
  for (const [immutable, note] of table) {
    const [assessed] = assessCopies([copy({ immutable })], POLICY, NOW).copies;
    t.ok(assessed?.assessment.notes.includes(note), note);
    t.equal(assessed?.assessment.usable, true, 'a lock note does not make a copy unusable');
  }
});

t.test('offline: the finding names the media that are still plugged in', async (t) => {
  const usb = tapeCopy({
    medium: 'removable-disk',
    path: 'media:USB-0042/erp.dump',
    device: 'loop:USB-0042',
    offline: false,
    offlineReason: 'attached-now',
  });
  t.match(run(checkOffline, [copy(), usb]), {
    status: 'fail',
    reason: 'attached-now',
    params: { have: 0, need: 1, mediaIds: 'USB-0042' },
  });
});
