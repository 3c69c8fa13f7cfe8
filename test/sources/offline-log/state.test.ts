// Replaying media events: a media's state is its last event; every oddity in the log gets a precise warning.
import t from 'tap';
import type { LoggedEvent } from '../../../src/sources/offline-log/events.js';
import { parseMediaLog } from '../../../src/sources/offline-log/parse.js';
import { replayMediaLog, sortEvents } from '../../../src/sources/offline-log/state.js';
import { ev, SHA_A, SHA_B } from './helpers.js';

const LOG = '/logs/media.jsonl';
/** The run's clock: later than every event below. */
const CLOCK = { nowMs: Date.parse('2026-11-24T00:00:00Z'), skewMs: 5 * 60_000 };
const replay = (...lines: string[]) =>
  replayMediaLog(parseMediaLog(`${lines.join('\n')}\n`, 'jsonl', LOG).events, LOG, CLOCK);
const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}T00:00:00Z`;

t.test("every transition: the media's state is its last event", async (t) => {
  const table: { events: string[]; state: string }[] = [
    { events: ['written'], state: 'written' },
    { events: ['written', 'offline'], state: 'offline' },
    { events: ['written', 'offline', 'online'], state: 'online' },
    { events: ['written', 'offline', 'online', 'offline'], state: 'offline' },
    { events: ['written', 'offline', 'verified'], state: 'verified' },
    { events: ['written', 'verified', 'offline'], state: 'offline' },
    { events: ['written', 'online'], state: 'online' },
    { events: ['written', 'retired'], state: 'retired' },
    { events: ['written', 'offline', 'retired'], state: 'retired' },
    { events: ['written', 'retired', 'online'], state: 'retired' },
    { events: ['written', 'written', 'offline'], state: 'offline' },
  ];
  for (const row of table) {
    const lines = row.events.map((event, i) =>
      ev(event, day(i + 1), 'T1', event === 'verified' ? { dataset: 'erp-db', file: 'erp/x.dump', sha256: SHA_A } : {}),
    );
    t.equal(replay(...lines).media.get('T1')?.state, row.state, row.events.join(' → '));
  }
});

t.test('ties in time keep line order; the state records since when and from which line', async (t) => {
  const result = replay(ev('written', day(1), 'T1'), ev('offline', day(2), 'T1'), ev('online', day(2), 'T1'));
  t.match(result.media.get('T1'), {
    state: 'online',
    since: '2026-11-02T00:00:00.000Z',
    line: 3,
    mediumType: 'tape',
  });
  t.same(result.issues, []);
  const events = [
    { ts: 'b', line: 1 },
    { ts: 'a', line: 2 },
    { ts: 'a', line: 3 },
  ] as LoggedEvent[];
  t.same(
    sortEvents(events).map((e) => e.line),
    [2, 3, 1],
  );
});

t.test('events out of time order are warned (B321_OUT_OF_ORDER) and then applied in time order', async (t) => {
  const result = replay(ev('written', day(1), 'T1'), ev('online', day(5), 'T1'), ev('offline', day(3), 'T1'));
  t.match(result.issues, [
    {
      code: 'B321_OUT_OF_ORDER',
      line: 3,
      severity: 'warning',
      message: /earlier than line 2/,
    },
  ]);
  t.equal(result.media.get('T1')?.state, 'online', 'the later online wins, not the later line');
});

t.test('an event for a media never written is warned (B321_UNKNOWN_MEDIA) but still tracked', async (t) => {
  const result = replay(ev('offline', day(1), 'T9'), ev('written', day(2), 'T9'), ev('offline', day(3), 'T9'));
  t.match(result.issues, [{ code: 'B321_UNKNOWN_MEDIA', line: 1, message: /offline for media T9/ }]);
  t.match(
    result.media.get('T9'),
    { state: 'offline', mediumType: 'tape' },
    'the type comes from the later written event',
  );
  t.equal(result.files.length, 1);
});

t.test('written without sha256 is warned (B321_NO_CHECKSUM) and the copy has no recorded checksum', async (t) => {
  const result = replay(ev('written', day(1), 'T1', { sha256: undefined }));
  t.match(result.issues, [
    {
      code: 'B321_NO_CHECKSUM',
      line: 1,
      dataset: 'erp-db',
      message: /unverified/,
    },
  ]);
  t.equal(result.files[0]?.recordedSha256, undefined);
});

t.test(
  'one media id logged with two medium types is warned (B321_MEDIA_CONFLICT); the first type is kept',
  async (t) => {
    const result = replay(ev('written', day(1), 'M1'), ev('offline', day(2), 'M1', { mediumType: 'removable-disk' }));
    t.match(result.issues, [
      {
        code: 'B321_MEDIA_CONFLICT',
        line: 2,
        message: /first logged as tape; kept tape/,
      },
    ]);
    t.equal(result.media.get('M1')?.mediumType, 'tape');
    t.equal(result.files[0]?.mediumType, 'tape');
  },
);

t.test('events after retired are warned (B321_AFTER_RETIRED) and ignored: retired is final', async (t) => {
  const result = replay(
    ev('written', day(1), 'T1'),
    ev('retired', day(2), 'T1'),
    ev('written', day(3), 'T1', { file: 'new.dump' }),
  );
  t.match(result.issues, [
    {
      code: 'B321_AFTER_RETIRED',
      line: 3,
      message: /after it was retired \(line 2\)/,
    },
  ]);
  t.same(
    result.files.map((f) => f.file),
    ['erp/x.dump'],
  );
});

t.test('a verified event refreshes the evidence time; the written line stays the evidence', async (t) => {
  const result = replay(
    ev('written', day(1), 'T1'),
    ev('verified', day(4), 'T1', {
      dataset: 'erp-db',
      file: 'erp/x.dump',
      sha256: SHA_A,
    }),
  );
  t.same(result.issues, []);
  t.match(result.files[0], {
    recordedSha256: SHA_A,
    recordedLine: 1,
    verifiedAt: '2026-11-04T00:00:00.000Z',
    verifyMismatch: false,
  });
});

t.test(
  'a verified checksum that differs from the written one is a mismatch (B321_VERIFY_MISMATCH); the written one stays the record',
  async (t) => {
    const result = replay(
      ev('written', day(1), 'T1'),
      ev('verified', day(4), 'T1', {
        dataset: 'erp-db',
        file: 'erp/x.dump',
        sha256: SHA_B,
      }),
    );
    t.match(result.issues, [
      {
        code: 'B321_VERIFY_MISMATCH',
        line: 2,
        dataset: 'erp-db',
        message: `erp/x.dump on media T1 was read back with sha256 ${SHA_B}, but line 1 wrote it with sha256 ${SHA_A}; the copy counts as corrupt`,
      },
    ]);
    t.match(result.files[0], {
      recordedSha256: SHA_A,
      recordedLine: 1,
      writtenSha256: SHA_A,
      verifyMismatch: true,
    });

    const again = replay(
      ev('written', day(1), 'T1'),
      ev('verified', day(4), 'T1', {
        dataset: 'erp-db',
        file: 'erp/x.dump',
        sha256: SHA_B,
      }),
      ev('verified', day(5), 'T1', {
        dataset: 'erp-db',
        file: 'erp/x.dump',
        sha256: SHA_A,
      }),
    );
    t.match(
      again.files[0],
      { recordedSha256: SHA_A, recordedLine: 1, verifyMismatch: false },
      'a later matching verify clears it',
    );
  },
);

t.test('a verify gives a checksum to a file written without one, without a mismatch', async (t) => {
  const result = replay(
    ev('written', day(1), 'T1', { sha256: undefined }),
    ev('verified', day(2), 'T1', {
      dataset: 'erp-db',
      file: 'erp/x.dump',
      sha256: SHA_B,
    }),
  );
  t.same(
    result.issues.map((i) => i.code),
    ['B321_NO_CHECKSUM'],
  );
  t.match(result.files[0], {
    recordedSha256: SHA_B,
    recordedLine: 2,
    verifyMismatch: false,
  });
});

t.test('verifying a file that was never written on that media is warned (B321_UNKNOWN_FILE)', async (t) => {
  const result = replay(
    ev('written', day(1), 'T1'),
    ev('verified', day(2), 'T1', {
      dataset: 'erp-db',
      file: 'other',
      sha256: SHA_A,
    }),
  );
  t.match(result.issues, [{ code: 'B321_UNKNOWN_FILE', line: 2, dataset: 'erp-db' }]);
});

t.test(
  'writing the same file on the same media again replaces the earlier record, with a warning when the data differ',
  async (t) => {
    const result = replay(ev('written', day(1), 'T1'), ev('written', day(2), 'T1', { sha256: SHA_B, bytes: 7 }));
    t.match(result.files, [
      {
        writtenAt: '2026-11-02T00:00:00.000Z',
        bytes: 7,
        recordedSha256: SHA_B,
      },
    ]);
    t.equal(result.files.length, 1);
    t.match(result.issues, [{ code: 'B321_REWRITTEN', line: 2, message: /written before \(line 1\) with other data/ }]);
    const same = replay(ev('written', day(1), 'T1'), ev('written', day(2), 'T1'));
    t.same(same.issues, [], 'the same data written again is no conflict');
  },
);

t.test('the last location given is where the media is', async (t) => {
  const result = replay(
    ev('written', day(1), 'T1', { location: 'rack' }),
    ev('offline', day(2), 'T1', { location: 'vault B' }),
    ev('online', day(3), 'T1'),
  );
  t.equal(result.media.get('T1')?.location, 'vault B');
});

t.test('a later "written" may leave out mediumType: the media keeps the type it was first written as', async (t) => {
  const result = replay(
    ev('written', day(1), 'T1'),
    ev('offline', day(2), 'T1'),
    ev('written', day(3), 'T1', { file: 'erp/y.dump', mediumType: undefined }),
  );
  t.same(result.issues, []);
  t.same(
    result.files.map((f) => [f.file, f.mediumType, f.writtenLine]),
    [
      ['erp/x.dump', 'tape', 1],
      ['erp/y.dump', 'tape', 3],
    ],
  );
  t.equal(result.media.get('T1')?.state, 'written');
});

t.test(
  'a media\'s first "written" must say its mediumType: without it the line is skipped (B321_BAD_LINE)',
  async (t) => {
    const result = replay(
      ev('written', day(1), 'T1', { mediumType: undefined }),
      ev('offline', day(2), 'T2'),
      ev('written', day(3), 'T2', { mediumType: undefined }),
      ev('written', day(4), 'T2', { file: 'erp/y.dump', mediumType: 'optical' }),
    );
    t.match(result.issues, [
      {
        code: 'B321_BAD_LINE',
        severity: 'warning',
        line: 1,
        message:
          '"mediumType" is required on the first "written" of media T1 (its type is not known yet); line skipped',
      },
      { code: 'B321_UNKNOWN_MEDIA', line: 2 },
      { code: 'B321_BAD_LINE', line: 3, message: /first "written" of media T2/ },
    ]);
    t.equal(result.issues.length, 3);
    t.equal(result.media.has('T1'), false, 'the skipped line introduced nothing');
    t.same(
      result.files.map((f) => [f.media, f.file, f.mediumType]),
      [['T2', 'erp/y.dump', 'optical']],
    );
  },
);

t.test('a "written" event carries its dataTime to the file; without one the file has none', async (t) => {
  const result = replay(
    ev('written', day(10), 'T1', { dataTime: '2026-10-25T08:00:00+07:00' }),
    ev('written', day(10), 'T1', { file: 'erp/y.dump' }),
  );
  t.same(result.issues, []);
  t.same(
    result.files.map((f) => [f.file, f.writtenAt, f.dataTime]),
    [
      ['erp/x.dump', '2026-11-10T00:00:00.000Z', '2026-10-25T01:00:00.000Z'],
      ['erp/y.dump', '2026-11-10T00:00:00.000Z', undefined],
    ],
  );
});

t.test('an event dated past the clock skew is warned once (B321_FUTURE_TIME) and decides nothing', async (t) => {
  // CLOCK is 2026-11-24T00:00Z with 5 min of skew.
  const result = replay(
    ev('written', day(1), 'T1'),
    ev('offline', day(2), 'T1'),
    ev('online', '2062-11-03T00:00:00Z', 'T1'),
    ev('written', day(3), 'T2'),
    ev('offline', day(4), 'T2'),
    ev('retired', '2062-11-03T00:00:00Z', 'T2'),
    ev('written', day(5), 'T3'),
    ev('verified', '2026-11-24T00:06:00Z', 'T3', { dataset: 'erp-db', file: 'erp/x.dump', sha256: SHA_A }),
    ev('offline', '2026-11-24T00:05:00Z', 'T3'),
    ev('written', '2062-11-01T00:00:00Z', 'T4', { file: 'erp/future.dump' }),
    ev('written', '2026-11-24T00:05:00Z', 'T1', { file: 'erp/later.dump' }),
  );
  t.same(
    result.issues.map((i) => [i.code, i.line]),
    [
      ['B321_FUTURE_TIME', 3],
      ['B321_FUTURE_TIME', 6],
      ['B321_FUTURE_TIME', 8],
      ['B321_FUTURE_TIME', 10],
    ],
    'one warning per future line; the lines after them are not "out of order"',
  );
  t.match(result.issues, [
    {
      severity: 'warning',
      message:
        "online at 2062-11-03T00:00:00.000Z is more than 5 min ahead of this machine's clock (2026-11-24T00:00:00.000Z); it does not change the media's state",
    },
    { message: /retired at 2062-11-03T00:00:00.000Z .*; it does not change the media's state$/ },
    { message: /verified at 2026-11-24T00:06:00.000Z .*; it does not count as a verification$/ },
    { message: /written at 2062-11-01T00:00:00.000Z .*; its copy keeps that time, so it does not count as fresh$/ },
  ]);
  t.equal(result.media.get('T1')?.state, 'written', 'the 2062 "online" did not end the offline; the later write did');
  t.equal(result.media.get('T2')?.state, 'offline', 'the 2062 "retired" did not retire T2');
  t.equal(result.media.get('T3')?.state, 'offline', 'an event within the skew counts');
  t.equal(result.files.find((f) => f.media === 'T3')?.verifiedAt, undefined, 'the future verify confirmed nothing');
  t.match(
    result.files.find((f) => f.media === 'T4'),
    { file: 'erp/future.dump', writtenAt: '2062-11-01T00:00:00.000Z', mediumType: 'tape' },
    'a future "written" still lists its file, with its time as written',
  );
  t.match(result.media.get('T4'), { state: 'written' });

  const known = replay(
    ev('written', day(1), 'T5'),
    ev('offline', day(2), 'T5'),
    ev('written', '2062-11-01T00:00:00Z', 'T5', { file: 'erp/future.dump' }),
  );
  t.equal(known.media.get('T5')?.state, 'offline', 'a future "written" does not take a media out of the vault');
  t.equal(known.files.length, 2);
});
